import { z } from 'zod';
import { and, ge, gt, type Filter } from '../../../connectors';
import { workOrders } from '../../../connectors/entities/dataverse';
import type { SourceValues } from '../../../mappings/engine';
import { MissingTaskError } from '../../../mappings/engine';
import type { MappingProject } from '../../../mappings/project/merge';
import { WorkOrderNumber } from '../../../workflows/search-attributes';
import { ReferenceData } from '../../reference-data';
import { RelatedRecordReader } from '../../related-records';
import { hasWorkOrderFlow, reportedWorkOrdersFilter } from '../../watchers/header-filter';
import { workOrderColumns } from '../../work-order/load-work-order';
import { INVOICE_NUMBER_COLUMN } from '../../work-order/work-order-status';
import { workOrderTasks } from '../../work-order/work-order-tasks';
import type { Drift } from '../drift';
import type { JoinPage, ReconcileJoin, ReconcileScope } from '../join';
import { JOIN_NAME, evaluateWorkOrder } from './evaluate';
import { runningWorkflowDrifts } from './running-workflows';
import { salesOrderOrphans, salesOrdersAfter } from './sales-order-orphans';
import { readWorkOrderPage, WORK_ORDER_WORKFLOW, type WorkOrderPageDeps } from './work-order-page';

/** Documents per page: each page of work orders costs about 15 requests, whatever is in it. */
const PAGE_SIZE = 100;
/** Keys per request when only counting. */
const COUNT_PAGE_SIZE = 5_000;

/**
 * Where the join stands: in one of its three passes (work orders by number, then this integration's F&O
 * orders by number, then running workflows by visibility page token), or done.
 */
const positionSchema = z.discriminatedUnion('pass', [
  z.object({ pass: z.literal('work orders'), after: z.string() }),
  z.object({ pass: z.literal('sales orders'), after: z.string() }),
  z.object({ pass: z.literal('workflows'), token: z.string().optional() }),
  z.object({ pass: z.literal('done') }),
]);
type Position = z.infer<typeof positionSchema>;

/** Work orders the mapping project selects, or cancelled, changed since the scope's date. */
function workOrderFilter(project: MappingProject, scope: ReconcileScope, after: string): Filter | undefined {
  const filters = [
    reportedWorkOrdersFilter(project),
    scope.since ? ge('modifiedon', scope.since) : undefined,
    after === '' ? undefined : gt('msdyn_name', after),
  ].filter((filter): filter is Filter => filter !== undefined);
  const [first, ...rest] = filters;
  return first && and(first, ...rest);
}

const sameNumber = (a: SourceValues, b: SourceValues) =>
  String(a.msdyn_name).toLowerCase() === String(b.msdyn_name).toLowerCase();

/**
 * Field Service work orders ↔ their F&O sales orders (header and lines as the mapping project maps the
 * work order now) ↔ the orders' F&O invoices ↔ the Field Service invoices of those numbers and the work
 * order's invoice number ↔ the work order workflows; then F&O orders of this integration without a work
 * order, and running workflows without one or parked in NeedsAttention.
 */
export const workOrderJoin: ReconcileJoin = {
  name: JOIN_NAME,

  appliesTo(project) {
    if (!hasWorkOrderFlow(project)) return false;
    try {
      workOrderTasks(project);
      return true;
    } catch (err) {
      if (err instanceof MissingTaskError) return false;
      throw err;
    }
  },

  async count(context, scope) {
    let total = 0;
    for (let after = '', full = true; full;) {
      const rows = [];
      for await (const row of context.dataverse.query(workOrders, {
        select: ['msdyn_name'],
        filter: workOrderFilter(context.project, scope, after),
        orderBy: ['msdyn_name'],
        top: COUNT_PAGE_SIZE,
      })) {
        rows.push(row.msdyn_name);
      }
      total += rows.length;
      full = rows.length === COUNT_PAGE_SIZE;
      after = rows.at(-1) ?? after;
    }
    for (let after = '', full = true; full;) {
      const orders = await salesOrdersAfter(context, after, COUNT_PAGE_SIZE);
      total += orders.length;
      full = orders.length === COUNT_PAGE_SIZE;
      after = orders.at(-1)?.SalesOrderNumber ?? after;
    }
    return total + (await context.workflows.countRunning(WORK_ORDER_WORKFLOW));
  },

  async *pages(context, scope, from) {
    let position: Position =
      from === undefined ? { pass: 'work orders', after: '' } : positionSchema.parse(from);
    const tasks = workOrderTasks(context.project);
    const deps: WorkOrderPageDeps = {
      context,
      tasks,
      columns: workOrderColumns(tasks),
      related: new RelatedRecordReader(context.dataverse, new ReferenceData(context.dataverse)),
    };
    if (position.pass === 'work orders') {
      for await (const page of workOrderPages(deps, scope, position.after)) yield page;
      position = { pass: 'sales orders', after: '' };
    }
    if (position.pass === 'sales orders') {
      for (let after = position.after, full = true; full;) {
        const orders = await salesOrdersAfter(context, after, PAGE_SIZE);
        if (orders.length === 0) break;
        after = orders.at(-1)!.SalesOrderNumber;
        full = orders.length === PAGE_SIZE;
        const drifts = await salesOrderOrphans(context, orders);
        yield { checked: orders.length, inFlight: 0, drifts, position: { pass: 'sales orders', after } };
      }
      position = { pass: 'workflows' };
    }
    if (position.pass === 'workflows') {
      for (let token = position.token, more = true; more;) {
        const { runs, next } = await context.workflows.runningPage(
          WORK_ORDER_WORKFLOW,
          WorkOrderNumber,
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

/**
 * Work orders by number, a page at a time. A full page leaves the rows of its last number to the next
 * page (that number may go on there), so two work orders of one number are always judged together.
 */
async function* workOrderPages(
  deps: WorkOrderPageDeps,
  scope: ReconcileScope,
  from: string,
): AsyncGenerator<JoinPage> {
  const { project, dataverse } = deps.context;
  for (let after = from, full = true; full;) {
    const rows: SourceValues[] = [];
    for await (const row of dataverse.query(workOrders, {
      select: [...deps.columns.header, INVOICE_NUMBER_COLUMN],
      expand: deps.columns.accounts,
      filter: workOrderFilter(project, scope, after),
      orderBy: ['msdyn_name', 'msdyn_workorderid'],
      top: PAGE_SIZE,
    })) {
      rows.push(row);
    }
    if (rows.length === 0) return;
    full = rows.length === PAGE_SIZE;
    const last = rows.at(-1)!;
    const settled = full ? rows.filter((row) => !sameNumber(row, last)) : rows;
    const page = settled.length > 0 ? settled : rows;
    after = String(page.at(-1)!.msdyn_name);

    const drifts = new Map<string, Drift>(); // two work orders of one number are one drift
    let inFlight = 0;
    for (const facts of await readWorkOrderPage(deps, page)) {
      const outcome = evaluateWorkOrder(facts, scope);
      if (outcome.kind === 'in flight') inFlight++;
      if (outcome.kind !== 'judged') continue;
      for (const drift of outcome.drifts) drifts.set(`${drift.class}/${drift.document}/${drift.key}`, drift);
    }
    yield {
      checked: page.length,
      inFlight,
      drifts: [...drifts.values()],
      position: { pass: 'work orders', after },
    };
  }
}
