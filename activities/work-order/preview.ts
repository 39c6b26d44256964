import type { SalesOrderBounds } from '../../config/config';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { documentDifferences, refusalOf, type RequestPreview, requestsOf } from '../document-preview';
import { ReferenceData } from '../reference-data';
import type { ValueDifference } from '../reconcile/value-differences';
import { RelatedRecordReader } from '../related-records';
import { existingSalesOrderFrom } from './existing-sales-order';
import { loadWorkOrder } from './load-work-order';
import { queryEach } from './master-data';
import { draftSalesOrder, lineNumberOf, salesOrderReads, salesOrderWrites } from './sales-order-plan';
import { masterDataChecks } from './sync-sales-order';
import type { WorkOrderTasks } from './work-order-tasks';

/** What a sync of a work order would make of its F&O sales order now; nothing is written to find out. */
export interface SalesOrderPreview {
  workOrderNumber: string;
  legalEntity: string;
  /** Why a sync would write nothing (a cancelled work order) or stop (what it would park with). */
  refusal?: string;
  /** The order the mapping project makes of the work order: header and lines as F&O would take them. */
  salesOrder?: {
    salesOrderNumber: string;
    entitySet: string;
    header: Record<string, unknown>;
    lineEntitySet?: string;
    lines: Record<string, unknown>[];
  };
  /** Whether F&O has an order of that number. */
  exists: boolean;
  /** Where F&O's order differs from the mapped one: header fields, lines added, changed or removed. */
  differences: ValueDifference[];
  requests: RequestPreview[];
}

export interface PreviewDeps {
  dataverse: DataverseClient;
  finance: FinanceClient;
  tasks: WorkOrderTasks;
  bounds: SalesOrderBounds;
}

/**
 * The sales order a work order would become now, how F&O's order of its number differs, and the writes a
 * sync would send, computed with the sync's own code (`sales-order-plan.ts`). Only reads, each a plain GET
 * (a sync reads in a `$batch`, which travels as a POST): nothing is written to Dataverse or F&O.
 */
export async function previewSalesOrder(
  deps: PreviewDeps,
  workOrderNumber: string,
): Promise<SalesOrderPreview> {
  const { dataverse, finance, tasks, bounds } = deps;
  const related = new RelatedRecordReader(dataverse, new ReferenceData(dataverse));
  const snapshot = await loadWorkOrder({ dataverse, related, tasks }, workOrderNumber);
  const preview: SalesOrderPreview = {
    workOrderNumber,
    legalEntity: finance.company,
    exists: false,
    differences: [],
    requests: [],
  };
  if (snapshot.canceled) {
    return { ...preview, refusal: 'Closed-Canceled in Field Service: a sync before approval writes nothing' };
  }
  if (snapshot.ineligibleReason) return { ...preview, refusal: snapshot.ineligibleReason };

  let draft;
  try {
    draft = draftSalesOrder(tasks, bounds, snapshot);
  } catch (error) {
    return { ...preview, refusal: refusalOf(error) };
  }
  const lines = new Map(draft.lines.map((line) => [lineNumberOf(line), line]));
  preview.salesOrder = {
    salesOrderNumber: draft.salesOrderNumber,
    entitySet: draft.headerEntity.entitySet,
    header: draft.header.values,
    lineEntitySet: draft.lineEntity?.entitySet,
    lines: [...lines.keys()].sort((a, b) => a - b).map((number) => lines.get(number)!.values),
  };

  const masterData = masterDataChecks(finance, tasks, snapshot);
  const masterDataQueries = masterData.flatMap((check) => check.queries);
  const found = await queryEach(finance, [...masterDataQueries, ...salesOrderReads(draft, true)]);
  const existing = existingSalesOrderFrom(found.slice(masterDataQueries.length));
  if (existing) {
    preview.exists = true;
    preview.differences = documentDifferences({ header: draft.header, lines }, existing);
  }

  try {
    let offset = 0;
    const masterDataWrites = masterData.flatMap((check) =>
      check.writes(found.slice(offset, (offset += check.queries.length))),
    );
    preview.requests = [
      ...requestsOf('master data', masterDataWrites),
      ...requestsOf('sales order', salesOrderWrites(finance, workOrderNumber, draft, existing)),
    ];
  } catch (error) {
    preview.refusal = refusalOf(error);
  }
  return preview;
}
