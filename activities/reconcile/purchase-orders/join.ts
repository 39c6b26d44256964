import { z } from 'zod';
import { purchaseOrders } from '../../../connectors/entities/dataverse';
import type { SourceValues } from '../../../mappings/engine';
import type { PurchaseOrderState } from '../../../workflows/purchase-order/state';
import { PURCHASE_ORDER_LINES } from '../../purchase-order/load-purchase-order';
import { purchaseOrderTasks, type PurchaseOrderTasks } from '../../purchase-order/purchase-order-tasks';
import { sourceFilterOf } from '../../source-filter';
import { documentPages } from '../document-pages';
import { pageReading, type ReconcileJoin, type ReconcileScope } from '../join';
import { allOf, changedSince, keyAfter, type KeyedReader } from '../keyed-pages';
import { hasTasks } from '../project-tasks';
import {
  countDocumentsAndWorkflows,
  runningWorkflowPages,
  workflowPassPositions,
} from '../running-workflows';
import { evaluatePurchaseOrder, type EvaluateDeps, JOIN_NAME } from './evaluate';
import {
  purchaseOrderColumnsRead,
  type PurchaseOrderPageDeps,
  readPurchaseOrderPage,
} from './purchase-order-page';
import { PURCHASE_ORDER_WORKFLOWS, purchaseOrderWorkflowsWithoutOrder } from './running-workflows';

/** Where the join stands: Field Service orders by number, then running workflows by page token, or done. */
const positionSchema = z.discriminatedUnion('pass', [
  z.object({ pass: z.literal('purchase orders'), after: z.string() }),
  ...workflowPassPositions,
]);
type Position = z.infer<typeof positionSchema>;

/** Purchase orders the `PurchaseOrderHeader` task selects (not Draft), changed since the scope's date, after a number. */
const orderFilter = (tasks: PurchaseOrderTasks, scope: ReconcileScope, after: string) =>
  allOf(sourceFilterOf(tasks.header), changedSince(scope.since), keyAfter('msdyn_name', after));

/**
 * Field Service purchase orders (submitted, as the header task selects them) ↔ their F&O orders and
 * lines (what Field Service owns as the tasks to F&O map it now; what F&O owns as the tasks back map
 * it) ↔ F&O's product receipts ↔ the Field Service receipts and received quantities ↔ the purchase
 * order workflows; then running workflows whose order is gone or that are parked in NeedsAttention.
 */
export const purchaseOrderJoin: ReconcileJoin = {
  name: JOIN_NAME,

  appliesTo: (project) => hasTasks(project, purchaseOrderTasks),

  async count(context, scope) {
    const tasks = purchaseOrderTasks(context.project);
    const filter = (after: string) => orderFilter(tasks, scope, after);
    return countDocumentsAndWorkflows(context, PURCHASE_ORDER_WORKFLOWS, filter);
  },

  async *pages(context, scope, from) {
    let position: Position =
      from === undefined ? { pass: 'purchase orders', after: '' } : positionSchema.parse(from);
    if (position.pass === 'purchase orders') {
      const deps = pageReading(context, purchaseOrderTasks, purchaseOrderColumnsRead);
      yield* purchaseOrderPages(deps, scope, position.after);
      position = { pass: 'workflows' };
    }
    if (position.pass === 'workflows') {
      yield* runningWorkflowPages(context, PURCHASE_ORDER_WORKFLOWS, position.token, (gone) =>
        purchaseOrderWorkflowsWithoutOrder(context, gone),
      );
    }
  },
};

/** Field Service purchase orders by number (unique: Dataverse keys them by it), a page at a time, lines expanded. */
function purchaseOrderPages(deps: PurchaseOrderPageDeps, scope: ReconcileScope, from: string) {
  const { context, tasks, columns } = deps;
  const evaluateDeps: EvaluateDeps = {
    tasks,
    stateOf: (workflowId) => context.workflows.query<PurchaseOrderState>(workflowId, 'status'),
  };
  const rows: KeyedReader<SourceValues> = {
    read: (after, top) =>
      context.dataverse.query(purchaseOrders, {
        select: columns.header,
        expand: [{ navigation: PURCHASE_ORDER_LINES, select: columns.lines }],
        filter: orderFilter(tasks, scope, after),
        orderBy: ['msdyn_name'],
        top,
      }),
    keyOf: (row) => String(row.msdyn_name),
  };
  return documentPages(rows, { name: 'purchase orders', from, numbersRepeat: false }, async (page) => {
    const outcomes = [];
    for (const facts of await readPurchaseOrderPage(deps, page))
      outcomes.push(await evaluatePurchaseOrder(facts, scope, evaluateDeps));
    return outcomes;
  });
}
