import { z } from 'zod';
import { workOrders } from '../../../connectors/entities/dataverse';
import type { SourceValues } from '../../../mappings/engine';
import type { MappingProject } from '../../../mappings/project/merge';
import { hasWorkOrderFlow, reportedWorkOrdersFilter } from '../../watchers/header-filter';
import { workOrderColumns } from '../../work-order/load-work-order';
import { INVOICE_NUMBER_COLUMN } from '../../work-order/work-order-status';
import { workOrderTasks } from '../../work-order/work-order-tasks';
import { documentPages, orphanPages } from '../document-pages';
import { pageReading, type ReconcileJoin, type ReconcileScope } from '../join';
import { allOf, changedSince, countKeyed, keyAfter, type KeyedReader } from '../keyed-pages';
import { hasTasks } from '../project-tasks';
import {
  countDocumentsAndWorkflows,
  runningWorkflowPages,
  workflowPassPositions,
} from '../running-workflows';
import { evaluateWorkOrder, JOIN_NAME } from './evaluate';
import { WORK_ORDER_WORKFLOWS, workOrderWorkflowsWithoutWorkOrder } from './running-workflows';
import { salesOrdersOfTheIntegration, salesOrderWithoutWorkOrder } from './sales-order-orphans';
import { readWorkOrderPage, type WorkOrderPageDeps } from './work-order-page';

/**
 * Where the join stands: in one of its three passes (work orders by number, then this integration's F&O
 * orders by number, then running workflows by visibility page token), or done.
 */
const positionSchema = z.discriminatedUnion('pass', [
  z.object({ pass: z.literal('work orders'), after: z.string() }),
  z.object({ pass: z.literal('sales orders'), after: z.string() }),
  ...workflowPassPositions,
]);
type Position = z.infer<typeof positionSchema>;

/** Work orders the mapping project selects, or cancelled, changed since the scope's date, after a number. */
const workOrderFilter = (project: MappingProject, scope: ReconcileScope, after: string) =>
  allOf(reportedWorkOrdersFilter(project), changedSince(scope.since), keyAfter('msdyn_name', after));

/**
 * Field Service work orders ↔ their F&O sales orders (header and lines as the mapping project maps the
 * work order now) ↔ the orders' F&O invoices ↔ the Field Service invoices of those numbers and the work
 * order's invoice number ↔ the work order workflows; then F&O orders of this integration without a work
 * order, and running workflows without one or parked in NeedsAttention.
 */
export const workOrderJoin: ReconcileJoin = {
  name: JOIN_NAME,

  appliesTo: (project) => hasWorkOrderFlow(project) && hasTasks(project, workOrderTasks),

  async count(context, scope) {
    const filter = (after: string) => workOrderFilter(context.project, scope, after);
    return (
      (await countDocumentsAndWorkflows(context, WORK_ORDER_WORKFLOWS, filter)) +
      (await countKeyed(salesOrdersOfTheIntegration(context)))
    );
  },

  async *pages(context, scope, from) {
    let position: Position =
      from === undefined ? { pass: 'work orders', after: '' } : positionSchema.parse(from);
    if (position.pass === 'work orders') {
      const deps = pageReading(context, workOrderTasks, workOrderColumns);
      yield* workOrderPages(deps, scope, position.after);
      position = { pass: 'sales orders', after: '' };
    }
    if (position.pass === 'sales orders') {
      const pass = { name: 'sales orders', from: position.after, of: WORK_ORDER_WORKFLOWS };
      yield* orphanPages(context, salesOrdersOfTheIntegration(context), pass, salesOrderWithoutWorkOrder);
      position = { pass: 'workflows' };
    }
    if (position.pass === 'workflows') {
      yield* runningWorkflowPages(
        context,
        WORK_ORDER_WORKFLOWS,
        position.token,
        workOrderWorkflowsWithoutWorkOrder,
      );
    }
  },
};

/** Work orders by number, a page at a time; two work orders of one number are judged together. */
function workOrderPages(deps: WorkOrderPageDeps, scope: ReconcileScope, from: string) {
  const { project, dataverse } = deps.context;
  const rows: KeyedReader<SourceValues> = {
    read: (after, top) =>
      dataverse.query(workOrders, {
        select: [...deps.columns.header, INVOICE_NUMBER_COLUMN],
        expand: deps.columns.accounts,
        filter: workOrderFilter(project, scope, after),
        orderBy: ['msdyn_name', 'msdyn_workorderid'],
        top,
      }),
    keyOf: (row) => String(row.msdyn_name),
  };
  return documentPages(rows, { name: 'work orders', from, numbersRepeat: true }, async (page) =>
    (await readWorkOrderPage(deps, page)).map((facts) => evaluateWorkOrder(facts, scope)),
  );
}
