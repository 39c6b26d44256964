import type { Client } from '@temporalio/client';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { describeDecision, takeFieldServiceDecision } from '../../activities/watchers/field-service-decision';
import { signalInvoicePosted } from '../../activities/watchers/invoice-posted-signal';
import type { Config } from '../../config/config';
import { D365Error, type DataverseClient } from '../../connectors';
import { signalWorkOrderCanceled, startWorkOrder, workOrderWorkflowId } from '../starters/work-order';
import { requireWebhookKey } from './authorization';
import { invoiceNotices } from './business-event';
import { workOrderEvent, type WorkOrderReference } from './dataverse-work-order';
import { signalRunningWorkflow } from './running-workflow';
import type { ReportedWorkOrder } from './work-order-lookup';
import { HttpError, readJson, requireJsonContent, sendJson } from './http';
import { isTemporalUnavailable } from './temporal-unavailable';

/** What a 503 asks Dataverse and F&O to wait before delivering the event again. */
const RETRY_AFTER_SECONDS = 30;

export interface WebhookDependencies {
  client: Client;
  config: Config;
  /** Reads the user behind a decision on invoicing set in Field Service. */
  dataverse: DataverseClient;
  /** The work order if the mapping project selects it for invoicing or it is cancelled; else undefined. */
  selectedWorkOrder(reference: WorkOrderReference): Promise<ReportedWorkOrder | undefined>;
  /** One line per request: method, path (never the query, which may hold the key), status, why it was refused. */
  log?(line: string): void;
}

type Route = (request: IncomingMessage, deps: WebhookDependencies) => Promise<unknown>;

const routes: Record<string, Route> = {
  '/webhooks/dataverse/work-orders': async (request, deps) => {
    const { client, config, selectedWorkOrder } = deps;
    const { reference, written } = workOrderEvent(await readJson(request));
    if (written) {
      const decided = await sendDecision(deps, written);
      if (decided) return decided;
      const outcome = await signalRunningWorkflow(client, written);
      const { workOrderNumber } = written;
      if (outcome) return { workOrderNumber, workflowId: workOrderWorkflowId(workOrderNumber), outcome };
    }
    const workOrder = await selectedWorkOrder(reference);
    if (workOrder === undefined) {
      return {
        outcome: 'not-selected',
        reason: "the mapping project's work order filter does not select it",
      };
    }
    const decided = workOrder.canceled ? undefined : await sendDecision(deps, workOrder);
    if (decided) return decided;
    const { workOrderNumber, canceled, notice } = workOrder;
    const outcome = canceled
      ? await signalWorkOrderCanceled(client, workOrderNumber, notice)
      : await startWorkOrder(client, config, workOrderNumber, notice);
    return { workOrderNumber, workflowId: workOrderWorkflowId(workOrderNumber), outcome };
  },
  '/webhooks/fno/business-events': async (request, { client }) => {
    const outcomes = { signalled: 0, notOurs: 0 };
    for (const invoice of invoiceNotices(await readJson(request))) {
      if ((await signalInvoicePosted(client, invoice)) === 'signalled') outcomes.signalled++;
      else outcomes.notOurs++;
    }
    return outcomes;
  },
};

/**
 * Sends the decision on invoicing the work order carries to its workflow, the user who set it as its
 * author; undefined when the row carries none or no workflow awaits one: then it is an ordinary change.
 */
async function sendDecision({ client, dataverse, log }: WebhookDependencies, workOrder: ReportedWorkOrder) {
  const { workOrderNumber, notice } = workOrder;
  if (!notice?.decision) return undefined;
  const decided = await takeFieldServiceDecision(client, dataverse, workOrderNumber, notice.decision);
  log?.(describeDecision(workOrderNumber, notice.decision, decided));
  if (decided.outcome === 'not-awaiting') return undefined;
  const workflowId = workOrderWorkflowId(workOrderNumber);
  return decided.outcome === 'taken'
    ? { workOrderNumber, workflowId, outcome: 'decision-taken' }
    : { workOrderNumber, workflowId, outcome: 'decision-refused', reason: decided.reason };
}

async function handle(request: IncomingMessage, response: ServerResponse, deps: WebhookDependencies) {
  const url = new URL(request.url ?? '/', 'http://webhook');
  let status = 202;
  let reason = '';
  try {
    const route = routes[url.pathname];
    if (!route) throw new HttpError(404, `no webhook at ${url.pathname}`);
    if (request.method !== 'POST') throw new HttpError(405, 'webhooks accept POST only');
    requireWebhookKey(request, url, deps.config.webhook.secret);
    requireJsonContent(request);
    sendJson(response, status, await route(request, deps));
  } catch (err) {
    const failure = asHttpError(err);
    status = failure.status;
    reason = `: ${failure.message}`;
    if (failure !== err) reason += ` (${err instanceof Error ? err.message : String(err)})`;
    const retryAfter = failure.retryAfterSeconds;
    sendJson(
      response,
      status,
      { error: failure.message },
      retryAfter ? { 'retry-after': `${retryAfter}` } : {},
    );
  } finally {
    deps.log?.(`${request.method} ${url.pathname} ${status}${reason}`);
  }
}

/** Dataverse and F&O retry a delivery that failed with 5xx; a 4xx tells them the request is wrong. */
function asHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof D365Error && err.retryable)
    return new HttpError(503, 'Field Service is unavailable; retry later', RETRY_AFTER_SECONDS);
  if (isTemporalUnavailable(err))
    return new HttpError(503, 'Temporal is unavailable; retry later', RETRY_AFTER_SECONDS);
  return new HttpError(500, 'the request could not be handled; see the webhook log');
}

/** The webhook endpoint: Dataverse work order events start workflows, F&O invoice events signal them. */
export function createWebhookServer(deps: WebhookDependencies): Server {
  return createServer((request, response) => {
    void handle(request, response, deps);
  });
}
