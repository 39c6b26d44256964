import type { SalesOrderBounds } from '../../config/config';
import { ApplicationFailure } from '@temporalio/common';
import { type BatchOperation, D365Error, eq, type ODataValue } from '../../connectors';
import type { FinanceEntity } from '../../connectors/entities/finance/entity';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { type DestinationPayload, mapWorkOrder } from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { toApplicationFailure } from '../d365-failure';
import { financeEntityOf, financeValues } from '../finance-entities';
import type { SalesOrderSummary, WorkOrderSnapshot } from './contract';
import { settledLines } from './delivered-lines';
import { existingSalesOrderFrom, existingSalesOrderQueries } from './existing-sales-order';
import type { MasterDataCheck } from './master-data';
import { checkPlausible } from './plausibility';
import { originOf, refuseForeignOrder } from './sales-order-origin';
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

/**
 * F&O refusing the order write (a business rule, a bad request) is a refusal of the order, told apart from
 * a refusal of the work order's master data by its type; throttling and outages stay retryable as they are.
 */
function refusedByFinance(error: unknown): never {
  if (!(error instanceof D365Error) || error.retryable) throw error;
  throw ApplicationFailure.create({
    message: error.message,
    type: 'SalesOrderRefused',
    nonRetryable: true,
    details: toApplicationFailure(error).details ?? undefined,
  });
}

const withoutKey = (payload: DestinationPayload) =>
  financeValues(
    Object.fromEntries(Object.entries(payload.values).filter(([field]) => !(field in payload.key))),
  );

const lineNumberOf = (line: DestinationPayload) => Number(line.key.LineCreationSequenceNumber);

/** The one F&O entity the project's line tasks write; undefined for a project without line tasks. */
function lineEntityOf(tasks: WorkOrderTasks): FinanceEntity | undefined {
  const destinations = new Set([...tasks.lines.values()].flat().map((task) => task.destination));
  if (destinations.size > 1) {
    throw new Error(`work order line tasks must write one F&O entity, not ${[...destinations].join(', ')}`);
  }
  const [destination] = destinations;
  return destination === undefined ? undefined : financeEntityOf(destination);
}

/** Writes the order in one change set and reads its lines back in the same `$batch`. */
async function writeAndReadBack(
  finance: FinanceClient,
  operations: BatchOperation[],
  lineEntity: FinanceEntity | undefined,
  salesOrderNumber: string,
): Promise<Record<string, unknown>[]> {
  if (lineEntity === undefined) {
    await finance.batch([operations]);
    return [];
  }
  return finance.batchThenQuery([operations], lineEntity, {
    filter: eq('SalesOrderNumber', salesOrderNumber),
    select: ['LineCreationSequenceNumber', 'LineAmount'],
  });
}

/**
 * Makes the F&O sales order of a work order what the mapping project says, and returns it as F&O then
 * holds it. Refused before anything is written: data a person must fix, an implausible order, an order of
 * the number this integration did not create, a change to a line F&O has delivered or invoiced. Otherwise
 * one `$batch` of reads (the `masterData` checks' and the order with its lines; missing master data is then
 * created or refused), then one `$batch`: a change set with the header, every line keyed
 * by its line number (a line that moved from Estimated to Used is updated, never added twice) and the
 * removal of lines Field Service no longer has, and a read of the lines after it, whose amounts F&O
 * computed. A crash or retry can never leave half an order or a second one.
 */
export async function upsertSalesOrder(
  finance: FinanceClient,
  tasks: WorkOrderTasks,
  bounds: SalesOrderBounds,
  snapshot: WorkOrderSnapshot,
  masterData: readonly MasterDataCheck[] = [],
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
  checkPlausible(snapshot.workOrderNumber, lines, bounds);

  const headerEntity = financeEntityOf(tasks.header.destination);
  const lineEntity = lineEntityOf(tasks);
  const salesOrderNumber = String(mapping.header.key.SalesOrderNumber);
  const headerKey = { SalesOrderNumber: salesOrderNumber };
  const origin = originOf(mapping.header);
  const wanted = new Map(lines.map((line) => [lineNumberOf(line), line]));
  const orderQueries = existingSalesOrderQueries(
    { header: headerEntity, lines: lineEntity },
    salesOrderNumber,
    {
      header: Object.keys(origin),
      lines: [...new Set(lines.flatMap((line) => Object.keys(withoutKey(line))))],
    },
  );
  // Every read before the write in one `$batch`: the master data, then the order as it stands.
  const found = await finance.queries([...masterData.flatMap((check) => check.queries), ...orderQueries]);
  let offset = 0;
  for (const check of masterData) {
    await check.settle(found.slice(offset, offset + check.queries.length));
    offset += check.queries.length;
  }
  const existing = existingSalesOrderFrom(found.slice(offset));
  if (existing) refuseForeignOrder(snapshot.workOrderNumber, finance.company, origin, existing.header);
  const existingLines = existing?.lines ?? new Map<number, Record<string, unknown>>();
  const untouched = settledLines(snapshot.workOrderNumber, salesOrderNumber, wanted, existingLines);

  const operations: BatchOperation[] = [
    existing
      ? finance.updateOperation(headerEntity, headerKey, withoutKey(mapping.header))
      : finance.createOperation(headerEntity, financeValues(mapping.header.values)),
    ...lines
      .filter((line) => !untouched.has(lineNumberOf(line)))
      .map((line) =>
        existingLines.has(lineNumberOf(line))
          ? finance.updateOperation(
              financeEntityOf(line.entity),
              line.key as Record<string, ODataValue>,
              withoutKey(line),
            )
          : finance.createOperation(financeEntityOf(line.entity), financeValues(line.values)),
      ),
    ...[...existingLines.keys()]
      .filter((lineNumber) => !wanted.has(lineNumber))
      .map((LineCreationSequenceNumber) =>
        finance.deleteOperation(lineEntity!, {
          SalesOrderNumber: salesOrderNumber,
          LineCreationSequenceNumber,
        }),
      ),
  ];
  const written = await writeAndReadBack(finance, operations, lineEntity, salesOrderNumber).catch(
    refusedByFinance,
  );
  const totalAmount = written.reduce((sum, line) => sum + number(line.LineAmount), 0);
  return {
    salesOrderNumber,
    legalEntity: finance.company,
    customerAccount: String(mapping.header.values.InvoiceCustomerAccountNumber),
    currency: String(mapping.header.values.CurrencyCode),
    totalAmount: Math.round(totalAmount * 100) / 100,
    lineCount: written.length,
  };
}
