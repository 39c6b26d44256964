import { z } from 'zod';
import { and, ge, gt, type Filter } from '../../../connectors';
import { purchaseOrders } from '../../../connectors/entities/dataverse';
import { MissingTaskError, type SourceValues } from '../../../mappings/engine';
import type { MappingProject } from '../../../mappings/project/merge';
import type { PurchaseOrderState } from '../../../workflows/purchase-order/state';
import { PurchaseOrderNumber } from '../../../workflows/search-attributes';
import { unique } from '../../dataverse-tables';
import { PURCHASE_ORDER_LINES, purchaseOrderColumns } from '../../purchase-order/load-purchase-order';
import { purchaseOrderTasks, type PurchaseOrderTasks } from '../../purchase-order/purchase-order-tasks';
import { ReferenceData } from '../../reference-data';
import { RelatedRecordReader } from '../../related-records';
import { sourceFilterOf } from '../../source-filter';
import type { Drift } from '../drift';
import type { JoinPage, ReconcileJoin, ReconcileScope } from '../join';
import { evaluatePurchaseOrder, type EvaluateDeps, JOIN_NAME } from './evaluate';
import {
  PURCHASE_ORDER_WORKFLOW,
  type PurchaseOrderPageDeps,
  readPurchaseOrderPage,
} from './purchase-order-page';
import { runningWorkflowDrifts } from './running-workflows';

/** Orders per page: each page costs about a dozen requests, whatever is in it. */
const PAGE_SIZE = 100;
/** Keys per request when only counting. */
const COUNT_PAGE_SIZE = 5_000;

/** Where the join stands: Field Service orders by number, then running workflows by page token, or done. */
const positionSchema = z.discriminatedUnion('pass', [
  z.object({ pass: z.literal('purchase orders'), after: z.string() }),
  z.object({ pass: z.literal('workflows'), token: z.string().optional() }),
  z.object({ pass: z.literal('done') }),
]);
type Position = z.infer<typeof positionSchema>;

/** Purchase orders the `PurchaseOrderHeader` task selects (not Draft), changed since the scope's date. */
function orderFilter(tasks: PurchaseOrderTasks, scope: ReconcileScope, after: string): Filter | undefined {
  const filters = [
    sourceFilterOf(tasks.header),
    scope.since ? ge('modifiedon', scope.since) : undefined,
    after === '' ? undefined : gt('msdyn_name', after),
  ].filter((filter): filter is Filter => filter !== undefined);
  const [first, ...rest] = filters;
  return first && and(first, ...rest);
}

/** The columns reconcile reads besides the workflow's: what the tasks back write, and what Field Service adds up. */
function columnsOf(tasks: PurchaseOrderTasks) {
  const written = (task: PurchaseOrderTasks['headerStatus']) =>
    task.fieldMaps.filter((map) => map.bind === undefined).map((map) => map.target);
  const columns = purchaseOrderColumns(tasks);
  return {
    header: unique([...columns.header, ...written(tasks.headerStatus), 'msdyn_totalamount']),
    lines: unique([...columns.lines, ...written(tasks.linePrices), 'msdyn_qtyreceived']),
  };
}

function tasksOf(project: MappingProject): PurchaseOrderTasks | undefined {
  try {
    return purchaseOrderTasks(project);
  } catch (err) {
    if (err instanceof MissingTaskError) return undefined;
    throw err;
  }
}

/**
 * Field Service purchase orders (submitted, as the header task selects them) ↔ their F&O orders and
 * lines (what Field Service owns as the tasks to F&O map it now; what F&O owns as the tasks back map
 * it) ↔ F&O's product receipts ↔ the Field Service receipts and received quantities ↔ the purchase
 * order workflows; then running workflows whose order is gone or that are parked in NeedsAttention.
 */
export const purchaseOrderJoin: ReconcileJoin = {
  name: JOIN_NAME,

  appliesTo: (project) => tasksOf(project) !== undefined,

  async count(context, scope) {
    const tasks = purchaseOrderTasks(context.project);
    let total = 0;
    for (let after = '', full = true; full;) {
      const rows: string[] = [];
      for await (const row of context.dataverse.query(purchaseOrders, {
        select: ['msdyn_name'],
        filter: orderFilter(tasks, scope, after),
        orderBy: ['msdyn_name'],
        top: COUNT_PAGE_SIZE,
      })) {
        rows.push(row.msdyn_name ?? '');
      }
      total += rows.length;
      full = rows.length === COUNT_PAGE_SIZE;
      after = rows.at(-1) ?? after;
    }
    return total + (await context.workflows.countRunning(PURCHASE_ORDER_WORKFLOW));
  },

  async *pages(context, scope, from) {
    let position: Position =
      from === undefined ? { pass: 'purchase orders', after: '' } : positionSchema.parse(from);
    const tasks = purchaseOrderTasks(context.project);
    const deps: PurchaseOrderPageDeps = {
      context,
      tasks,
      related: new RelatedRecordReader(context.dataverse, new ReferenceData(context.dataverse)),
    };
    if (position.pass === 'purchase orders') {
      for await (const page of purchaseOrderPages(deps, scope, position.after)) yield page;
      position = { pass: 'workflows' };
    }
    if (position.pass === 'workflows') {
      for (let token = position.token, more = true; more;) {
        const { runs, next } = await context.workflows.runningPage(
          PURCHASE_ORDER_WORKFLOW,
          PurchaseOrderNumber,
          PAGE_SIZE,
          token,
        );
        const drifts = await runningWorkflowDrifts(context, runs);
        token = next;
        more = next !== undefined;
        const done: Position = { pass: 'done' };
        yield {
          checked: runs.length,
          inFlight: 0,
          drifts,
          position: more ? { pass: 'workflows', token } : done,
        };
      }
    }
  },
};

/** Field Service purchase orders by number (unique: Dataverse keys them by it), a page at a time, lines expanded. */
async function* purchaseOrderPages(
  deps: PurchaseOrderPageDeps,
  scope: ReconcileScope,
  from: string,
): AsyncGenerator<JoinPage> {
  const { context, tasks } = deps;
  const columns = columnsOf(tasks);
  const evaluateDeps: EvaluateDeps = {
    tasks,
    stateOf: (workflowId) => context.workflows.query<PurchaseOrderState>(workflowId, 'status'),
  };
  for (let after = from, full = true; full;) {
    const page: SourceValues[] = [];
    for await (const row of context.dataverse.query(purchaseOrders, {
      select: columns.header,
      expand: [{ navigation: PURCHASE_ORDER_LINES, select: columns.lines }],
      filter: orderFilter(tasks, scope, after),
      orderBy: ['msdyn_name'],
      top: PAGE_SIZE,
    })) {
      page.push(row);
    }
    if (page.length === 0) return;
    full = page.length === PAGE_SIZE;
    after = String(page.at(-1)!.msdyn_name);

    const drifts: Drift[] = [];
    let inFlight = 0;
    for (const facts of await readPurchaseOrderPage(deps, page)) {
      const outcome = await evaluatePurchaseOrder(facts, scope, evaluateDeps);
      if (outcome.kind === 'in flight') inFlight++;
      if (outcome.kind === 'judged') drifts.push(...outcome.drifts);
    }
    yield { checked: page.length, inFlight, drifts, position: { pass: 'purchase orders', after } };
  }
}
