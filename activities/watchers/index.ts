import { getClient, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { startWorkOrder } from '../../client/work-order-starter';
import type { Config } from '../../config/config';
import type { Connectors } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { rethrowAsD365Failure } from '../d365-failure';
import {
  invoiceWatermarkSchema,
  workOrderWatermarkSchema,
  type InvoiceWatermark,
  type Page,
  type StartOutcomes,
  type WatcherActivities,
  type WorkOrderWatermark,
} from './contract';
import { signalInvoicePosted } from './invoice-posted-signal';
import { postedInvoices } from './posted-invoices';
import { saveScheduleWatermark } from './schedule-watermark';
import { workOrderChanges } from './work-order-changes';

function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  return parsed.data;
}

/** Reads up to `limit` rows; stopping early ends the generator, so no further page is requested. */
async function firstPage<Row extends { watermark: Watermark }, Item, Watermark>(
  rows: AsyncIterable<Row>,
  itemOf: (row: Row) => Item,
  start: Watermark,
  limit: number,
): Promise<Page<Item, Watermark>> {
  const page: Page<Item, Watermark> = { items: [], watermark: start, more: false };
  try {
    for await (const row of rows) {
      page.items.push(itemOf(row));
      page.watermark = row.watermark;
      if (page.items.length >= limit) {
        page.more = true;
        break;
      }
    }
  } catch (err) {
    rethrowAsD365Failure(err);
  }
  return page;
}

/** The watcher workflows' activities. The Temporal client is the worker's own (activity context). */
export function createWatcherActivities(
  config: Config,
  { dataverse, finance }: Connectors,
  project: MappingProject,
): WatcherActivities {
  return {
    async findChangedWorkOrders(input) {
      const after = parseInput(workOrderWatermarkSchema, input.after);
      const changes = workOrderChanges(dataverse, project, after, input.limit);
      return firstPage(changes, (change) => change.workOrderNumber, after, input.limit);
    },

    async startWorkOrders(workOrderNumbers) {
      const outcomes: StartOutcomes = { startedOrSignalled: 0, alreadyCompleted: 0, failed: [] };
      for (const workOrderNumber of workOrderNumbers) {
        try {
          const outcome = await startWorkOrder(getClient(), config, workOrderNumber);
          if (outcome === 'already-completed') outcomes.alreadyCompleted++;
          else outcomes.startedOrSignalled++;
        } catch (err) {
          // A number no workflow can carry is reported, not retried; anything else is retried.
          if (!(err instanceof z.ZodError)) throw err;
          outcomes.failed.push({ workOrderNumber, reason: z.prettifyError(err) });
          log.warn('Work order not started', { workOrderNumber, reason: z.prettifyError(err) });
        }
      }
      return outcomes;
    },

    async findPostedInvoices(input) {
      const after = parseInput(invoiceWatermarkSchema, input.after);
      return firstPage(postedInvoices(finance, after), (invoice) => invoice.notice, after, input.limit);
    },

    async signalInvoicesPosted(invoices) {
      const outcomes = { signalled: 0, notOurs: 0 };
      for (const invoice of invoices) {
        const outcome = await signalInvoicePosted(getClient(), invoice);
        if (outcome === 'signalled') outcomes.signalled++;
        else outcomes.notOurs++;
      }
      return outcomes;
    },

    async saveWatermark({ scheduleId, watermark }) {
      const valid = parseInput<WorkOrderWatermark | InvoiceWatermark>(
        z.union([workOrderWatermarkSchema, invoiceWatermarkSchema]),
        watermark,
      );
      await saveScheduleWatermark(getClient(), scheduleId, valid);
    },
  };
}
