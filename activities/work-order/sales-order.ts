import { D365Error, eq, type ODataValue } from '../../connectors';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { type DestinationPayload, mapWorkOrder } from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { financeEntityOf, financeValues } from '../finance-entities';
import type { SalesOrderSummary, WorkOrderSnapshot } from './contract';
import type { WorkOrderTasks } from './work-order-tasks';

const number = (value: unknown) => (typeof value === 'number' ? value : 0);

/** Problems in the work order a person must fix in Field Service before F&O can take the order. */
function checkOrder(
  workOrderNumber: string,
  header: DestinationPayload,
  lines: readonly DestinationPayload[],
): void {
  const problems: string[] = [];
  if (!header.values.OrderingCustomerAccountNumber) {
    problems.push('it has no service account with an account number');
  }
  if (!header.values.InvoiceCustomerAccountNumber) {
    problems.push('it has no billing account with an account number');
  }
  if (!header.values.CurrencyCode) problems.push('it has no currency');
  for (const line of lines) {
    const lineNumber = line.key.LineCreationSequenceNumber;
    if (!line.values.ProductNumber)
      problems.push(`line ${lineNumber} has no product that exists in Field Service`);
    if (number(line.values.OrderedSalesQuantity) < 0) {
      problems.push(`line ${lineNumber} has a negative quantity (${line.values.OrderedSalesQuantity})`);
    }
  }
  if (problems.length > 0) {
    throw businessFailure(
      `Work order ${workOrderNumber} cannot become a sales order: ${problems.join('; ')}`,
      'InvalidWorkOrder',
    );
  }
}

const withoutKey = (payload: DestinationPayload) =>
  financeValues(
    Object.fromEntries(Object.entries(payload.values).filter(([field]) => !(field in payload.key))),
  );

/**
 * Creates or updates the F&O sales order of a work order as the mapping project says: one read of
 * the order (and of its lines when it exists), then one change set with the header and every line,
 * so a crash or retry can never leave half an order or a second one. Lines are keyed by their line
 * number: a line that moved from Estimated to Used is updated, never added twice.
 */
export async function upsertSalesOrder(
  finance: FinanceClient,
  tasks: WorkOrderTasks,
  snapshot: WorkOrderSnapshot,
): Promise<SalesOrderSummary> {
  const lineTasks = [...tasks.lines.values()].flat();
  const mapping = mapWorkOrder(
    { tasks: [tasks.header, ...lineTasks] },
    { header: snapshot.records.header, lines: snapshot.records.lines },
  );
  if (!mapping.synced)
    throw businessFailure(`Work order ${snapshot.workOrderNumber} does not sync: ${mapping.reason}`);
  const lines = [...new Map(mapping.lines.map((line) => [JSON.stringify(line.key), line])).values()];
  checkOrder(snapshot.workOrderNumber, mapping.header, lines);

  const headerEntity = financeEntityOf(tasks.header.destination);
  const salesOrderNumber = String(mapping.header.key.SalesOrderNumber);
  const headerKey = { SalesOrderNumber: salesOrderNumber };
  let exists = true;
  try {
    await finance.retrieve(headerEntity, headerKey, { select: ['SalesOrderNumber'] });
  } catch (error) {
    if (!(error instanceof D365Error && error.kind === 'not-found')) throw error;
    exists = false;
  }
  const existingLines = new Set<number>();
  const lineEntity = lines[0] ? financeEntityOf(lines[0].entity) : undefined;
  if (exists && lineEntity) {
    const filter = eq('SalesOrderNumber', salesOrderNumber);
    for await (const line of finance.query(lineEntity, { filter, select: ['LineCreationSequenceNumber'] })) {
      existingLines.add(Number(line.LineCreationSequenceNumber));
    }
  }

  const operations = [
    exists
      ? finance.updateOperation(headerEntity, headerKey, withoutKey(mapping.header))
      : finance.createOperation(headerEntity, financeValues(mapping.header.values)),
    ...lines.map((line) =>
      existingLines.has(Number(line.key.LineCreationSequenceNumber))
        ? finance.updateOperation(
            financeEntityOf(line.entity),
            line.key as Record<string, ODataValue>,
            withoutKey(line),
          )
        : finance.createOperation(financeEntityOf(line.entity), financeValues(line.values)),
    ),
  ];
  await finance.batch([operations]);

  const totalAmount = lines.reduce(
    (sum, line) =>
      sum +
      number(line.values.OrderedSalesQuantity) * number(line.values.SalesPrice) -
      number(line.values.LineDiscountAmount),
    0,
  );
  return {
    salesOrderNumber,
    legalEntity: finance.company,
    customerAccount: String(mapping.header.values.InvoiceCustomerAccountNumber),
    currency: String(mapping.header.values.CurrencyCode),
    totalAmount: Math.round(totalAmount * 100) / 100,
    lineCount: lines.length,
  };
}
