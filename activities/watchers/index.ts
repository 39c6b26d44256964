import { getClient, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { signalWorkOrderCanceled, startWorkOrder, type StartOutcome } from '../../client/starters/work-order';
import type { Config } from '../../config/config';
import type { Connectors } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { rethrowAsD365Failure } from '../d365-failure';
import { SETTLE_MS } from '../settle';
import {
  type CanceledOutcomes,
  type FieldServiceDecision,
  invoiceWatermarkSchema,
  workOrderWatermarkSchema,
  type InvoiceWatermark,
  type Page,
  type SignalOutcomes,
  type StartOutcomes,
  type WatcherActivities,
  type WorkOrderWatermark,
} from './contract';
import { describeDecision, takeFieldServiceDecision } from './field-service-decision';
import { signalPostedFreeTextInvoices } from './free-text-invoice-postings';
import { signalInvoicePosted } from './invoice-posted-signal';
import { allCompaniesInvoices, postedInvoicesPage } from './posted-invoices';
import { handleResumably } from './resumable';
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

/**
 * The watcher workflows' activities. The Temporal client is the worker's own (activity context);
 * `now` is the clock that decides which changes have settled (tests pin it).
 */
export function createWatcherActivities(
  config: Config,
  { dataverse, finance }: Connectors,
  project: MappingProject,
  now: () => number = Date.now,
): WatcherActivities {
  const decide = async (workOrderNumber: string, decision: FieldServiceDecision) => {
    const decided = await takeFieldServiceDecision(getClient(), dataverse, workOrderNumber, decision);
    const line = describeDecision(workOrderNumber, decision, decided);
    if (decided.outcome === 'refused') log.warn(line);
    else log.info(line);
    return decided.outcome;
  };
  return {
    async findChangedWorkOrders(input) {
      const after = parseInput(workOrderWatermarkSchema, input.after);
      const changes = workOrderChanges(dataverse, project, after, {
        pageSize: input.limit,
        changedBefore: new Date(now() - SETTLE_MS),
      });
      const page = await firstPage(changes, (change) => change, after, input.limit);
      const numbers = (canceled: boolean) =>
        page.items.filter((change) => change.canceled === canceled).map((change) => change.workOrderNumber);
      const notices = Object.fromEntries(page.items.map((change) => [change.workOrderNumber, change.notice]));
      return { ...page, items: numbers(false), canceled: numbers(true), notices };
    },

    async startWorkOrders(workOrderNumbers, notices = {}) {
      // A number no workflow can carry is reported, not retried; any other failure is retried.
      const start = async (workOrderNumber: string): Promise<StartOutcome | { invalid: string }> => {
        try {
          const { decision, ...notice } = notices[workOrderNumber] ?? {};
          // A decision taken or refused answers the change; one no workflow awaits is an ordinary change.
          if (decision && (await decide(workOrderNumber, decision)) !== 'not-awaiting') {
            return 'started-or-signalled';
          }
          return await startWorkOrder(
            getClient(),
            config,
            workOrderNumber,
            notices[workOrderNumber] && notice,
          );
        } catch (err) {
          if (!(err instanceof z.ZodError)) throw err;
          return { invalid: z.prettifyError(err) };
        }
      };
      const initial: StartOutcomes = { startedOrSignalled: 0, alreadyCompleted: 0, failed: [] };
      return handleResumably(workOrderNumbers, initial, start, (tally, workOrderNumber, outcome) => {
        if (typeof outcome === 'object') {
          tally.failed.push({ workOrderNumber, reason: outcome.invalid });
          log.warn('Work order not started', { workOrderNumber, reason: outcome.invalid });
        } else if (outcome === 'already-completed') tally.alreadyCompleted++;
        else tally.startedOrSignalled++;
      });
    },

    async signalCanceledWorkOrders(workOrderNumbers, notices = {}) {
      const initial: CanceledOutcomes = { signalled: 0, withoutWorkflow: 0 };
      return handleResumably(
        workOrderNumbers,
        initial,
        (workOrderNumber) => signalWorkOrderCanceled(getClient(), workOrderNumber, notices[workOrderNumber]),
        (tally, _workOrderNumber, outcome) => {
          if (outcome === 'signalled') tally.signalled++;
          else tally.withoutWorkflow++;
        },
      );
    },

    async findPostedInvoices(input) {
      const after = parseInput(invoiceWatermarkSchema, input.after);
      try {
        const page = await postedInvoicesPage(allCompaniesInvoices(finance), after, {
          limit: input.limit,
          lookbackDays: config.invoiceLookbackDays,
          today: new Date(),
        });
        const items = page.invoices.map((invoice) => ({
          salesOrderNumber: invoice.SalesOrderNumber,
          invoiceNumber: invoice.InvoiceNumber,
          legalEntity: invoice.dataAreaId,
        }));
        return { items, watermark: page.position, more: page.more };
      } catch (err) {
        rethrowAsD365Failure(err);
      }
    },

    async signalInvoicesPosted(invoices) {
      const initial: SignalOutcomes = { signalled: 0, notOurs: 0 };
      return handleResumably(
        invoices,
        initial,
        (invoice) => signalInvoicePosted(getClient(), invoice),
        (tally, _invoice, outcome) => {
          if (outcome === 'signalled') tally.signalled++;
          else tally.notOurs++;
        },
      );
    },

    async signalPostedFreeTextInvoices() {
      try {
        return await signalPostedFreeTextInvoices(getClient(), finance);
      } catch (err) {
        rethrowAsD365Failure(err);
      }
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
