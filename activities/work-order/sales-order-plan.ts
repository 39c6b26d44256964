import type { SalesOrderBounds } from '../../config/config';
import type { ODataValue } from '../../connectors';
import type { FinanceEntity } from '../../connectors/entities/finance/entity';
import type { FinanceQuery } from '../../connectors/finance/finance-client';
import { type DestinationPayload, mapWorkOrder } from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { type OperationBuilder, type PlannedWrite, plannedWrite } from '../planned-write';
import { financeEntityOf, financeValues, valuesWithoutKey } from '../finance-entities';
import type { WorkOrderSnapshot } from './contract';
import { settledLines } from './delivered-lines';
import { type ExistingSalesOrder, existingSalesOrderQueries } from './existing-sales-order';
import { checkPlausible } from './plausibility';
import { originOf, refuseForeignOrder } from './sales-order-origin';
import type { WorkOrderTasks } from './work-order-tasks';

/*
 * The pure half of writing a work order's sales order: what the mapping project makes of the work order,
 * what to read of F&O's order, and the writes that make F&O's order that. `upsertSalesOrder` sends them;
 * `fsfo work-order preview` only shows them.
 */

const number = (value: unknown) => (typeof value === 'number' ? value : 0);

/** The sales order the mapping project makes of a work order now, checked before anything is read. */
export interface SalesOrderDraft {
  salesOrderNumber: string;
  header: DestinationPayload;
  /** One per key, in the project's order. */
  lines: DestinationPayload[];
  headerEntity: FinanceEntity;
  /** Undefined for a project without line tasks. */
  lineEntity?: FinanceEntity;
  /** The origin fields the header task writes (which process created an order). */
  origin: Record<string, string>;
}

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

export const lineNumberOf = (line: DestinationPayload) => Number(line.key.LineCreationSequenceNumber);

/** The one F&O entity the project's line tasks write; undefined for a project without line tasks. */
function lineEntityOf(tasks: WorkOrderTasks): FinanceEntity | undefined {
  const destinations = new Set([...tasks.lines.values()].flat().map((task) => task.destination));
  if (destinations.size > 1) {
    throw new Error(`work order line tasks must write one F&O entity, not ${[...destinations].join(', ')}`);
  }
  const [destination] = destinations;
  return destination === undefined ? undefined : financeEntityOf(destination);
}

/**
 * The sales order of a work order as the mapping project maps it. Refused before anything is read: a
 * work order the project does not sync, data a person must fix, an implausible order.
 */
export function draftSalesOrder(
  tasks: WorkOrderTasks,
  bounds: SalesOrderBounds,
  snapshot: WorkOrderSnapshot,
): SalesOrderDraft {
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
  return {
    salesOrderNumber: String(mapping.header.key.SalesOrderNumber),
    header: mapping.header,
    lines,
    headerEntity: financeEntityOf(tasks.header.destination),
    lineEntity: lineEntityOf(tasks),
    origin: originOf(mapping.header),
  };
}

/**
 * The reads of F&O's order of the draft's number: the header's origin (all its mapped fields with
 * `wholeHeader`, to show how it differs) and its lines' mapped fields and status.
 */
export function salesOrderReads(draft: SalesOrderDraft, wholeHeader = false): FinanceQuery[] {
  const headerFields = wholeHeader
    ? [...new Set([...Object.keys(valuesWithoutKey(draft.header)), ...Object.keys(draft.origin)])]
    : Object.keys(draft.origin);
  return existingSalesOrderQueries(
    { header: draft.headerEntity, lines: draft.lineEntity },
    draft.salesOrderNumber,
    {
      header: headerFields,
      lines: [...new Set(draft.lines.flatMap((line) => Object.keys(valuesWithoutKey(line))))],
    },
  );
}

/**
 * The writes that make F&O's order the draft, for one change set: the header, every line keyed by its
 * line number (a line that moved from Estimated to Used is updated, never added twice) and the removal of
 * lines Field Service no longer has. Refused with nothing to write: an order of the number this
 * integration did not create, a change to a line F&O has delivered or invoiced.
 */
export function salesOrderWrites(
  finance: OperationBuilder,
  workOrderNumber: string,
  draft: SalesOrderDraft,
  existing: ExistingSalesOrder | undefined,
): PlannedWrite[] {
  const { header, lines, headerEntity, lineEntity, salesOrderNumber } = draft;
  if (existing) refuseForeignOrder(workOrderNumber, finance.company, draft.origin, existing.header);
  const wanted = new Map(lines.map((line) => [lineNumberOf(line), line]));
  const existingLines = existing?.lines ?? new Map<number, Record<string, unknown>>();
  const untouched = settledLines(workOrderNumber, salesOrderNumber, wanted, existingLines);
  const headerKey = { SalesOrderNumber: salesOrderNumber };
  return [
    plannedWrite(
      existing
        ? finance.updateOperation(headerEntity, headerKey, valuesWithoutKey(header))
        : finance.createOperation(headerEntity, financeValues(header.values)),
      headerEntity.entitySet,
      headerKey,
    ),
    ...lines
      .filter((line) => !untouched.has(lineNumberOf(line)))
      .map((line) =>
        plannedWrite(
          existingLines.has(lineNumberOf(line))
            ? finance.updateOperation(
                financeEntityOf(line.entity),
                line.key as Record<string, ODataValue>,
                valuesWithoutKey(line),
              )
            : finance.createOperation(financeEntityOf(line.entity), financeValues(line.values)),
          financeEntityOf(line.entity).entitySet,
          line.key,
        ),
      ),
    ...[...existingLines.keys()]
      .filter((lineNumber) => !wanted.has(lineNumber))
      .map((LineCreationSequenceNumber) => {
        const key = { SalesOrderNumber: salesOrderNumber, LineCreationSequenceNumber };
        return plannedWrite(finance.deleteOperation(lineEntity!, key), lineEntity!.entitySet, key);
      }),
  ];
}
