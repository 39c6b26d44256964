import type { SalesOrderBounds } from '../../config/config';
import { ApplicationFailure } from '@temporalio/common';
import { type BatchOperation, D365Error, eq } from '../../connectors';
import type { FinanceEntity } from '../../connectors/entities/finance/entity';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { toApplicationFailure } from '../d365-failure';
import type { SalesOrderSummary, WorkOrderSnapshot } from './contract';
import { existingSalesOrderFrom } from './existing-sales-order';
import type { MasterDataCheck } from './master-data';
import { draftSalesOrder, salesOrderReads, salesOrderWrites } from './sales-order-plan';
import type { WorkOrderTasks } from './work-order-tasks';

const number = (value: unknown) => (typeof value === 'number' ? value : 0);

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
  const draft = draftSalesOrder(tasks, bounds, snapshot);
  // Every read before the write in one `$batch`: the master data, then the order as it stands.
  const found = await finance.queries([
    ...masterData.flatMap((check) => check.queries),
    ...salesOrderReads(draft),
  ]);
  let offset = 0;
  for (const check of masterData) {
    await check.settle(found.slice(offset, offset + check.queries.length));
    offset += check.queries.length;
  }
  const existing = existingSalesOrderFrom(found.slice(offset));
  const operations = salesOrderWrites(finance, snapshot.workOrderNumber, draft, existing).map(
    (write) => write.operation,
  );
  const { salesOrderNumber, header, lineEntity } = draft;
  const written = await writeAndReadBack(finance, operations, lineEntity, salesOrderNumber).catch(
    refusedByFinance,
  );
  const totalAmount = written.reduce((sum, line) => sum + number(line.LineAmount), 0);
  return {
    salesOrderNumber,
    legalEntity: finance.company,
    customerAccount: String(header.values.InvoiceCustomerAccountNumber),
    currency: String(header.values.CurrencyCode),
    totalAmount: Math.round(totalAmount * 100) / 100,
    lineCount: written.length,
  };
}
