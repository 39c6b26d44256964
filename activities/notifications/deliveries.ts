import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../../config/config';
import type { OperatorMessage } from '../../connectors/notifications/message';
import { sendEmail } from '../../connectors/notifications/email-sink';
import { SinkError } from '../../connectors/notifications/sink-error';
import { postToWebhook } from '../../connectors/notifications/webhook-sink';

/** While a sink answers slowly, the attempt still shows it is alive (the heartbeat timeout is short). */
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * The activity attempt's key: the workflow, its run and the activity's id, the same on every retry of this
 * notice and different for any other. The e-mail's `Message-ID` and the webhook's `Idempotency-Key`.
 */
function idempotencyKey(): string {
  const { workflowId, runId } = workflowRun();
  return `${workflowId}.${runId}.${Context.current().info.activityId}`.replace(/[^\w.-]/g, '_');
}

/** The run the activity works for: notifications are only sent from workflows. */
function workflowRun(): { workflowId: string; runId: string } {
  const run = Context.current().info.workflowExecution;
  if (!run) throw ApplicationFailure.nonRetryable('notifications are sent from a workflow', 'InvalidInput');
  return run;
}

/**
 * Sends the message to each configured sink (webhook first, then e-mail) that an earlier attempt did not
 * reach. After each delivery the attempt heartbeats the sinks reached, and a retry starts from that
 * record: a worker killed after a sink answered does not make the retry send there again. The window left
 * is between a sink accepting the message and the heartbeat reaching Temporal (one round trip); an e-mail
 * sent twice in it has the same Message-ID, which mail clients show once.
 */
export async function deliverOnce(config: Config, message: OperatorMessage): Promise<string[]> {
  const context = Context.current();
  const earlier = context.info.heartbeatDetails as { delivered?: string[] } | undefined;
  const delivered = new Set(earlier?.delivered ?? []);
  const key = idempotencyKey();
  const { webhook, email } = config.notifications;
  const sinks: [string, () => Promise<void>][] = [];
  if (webhook) sinks.push(['webhook', () => postToWebhook(webhook, message, key)]);
  if (email) {
    const domain = email.from.split('@')[1] ?? 'fsfo';
    sinks.push(['email', () => sendEmail(email, message, `<${key}@${domain}>`)]);
  }
  const beat = () => context.heartbeat({ delivered: [...delivered] });
  beat();
  const alive = setInterval(beat, HEARTBEAT_EVERY_MS);
  try {
    for (const [sink, send] of sinks) {
      if (delivered.has(sink)) continue;
      await send().catch((err: unknown) => {
        throw asFailure(err);
      });
      delivered.add(sink);
      beat();
    }
  } finally {
    clearInterval(alive);
  }
  return [...delivered];
}

function asFailure(err: unknown): unknown {
  if (!(err instanceof SinkError)) return err;
  return err.retryable
    ? ApplicationFailure.create({
        message: err.message,
        type: 'NotificationUndelivered',
        nextRetryDelay: err.retryAfterMs,
      })
    : ApplicationFailure.nonRetryable(err.message, 'NotificationRefused');
}

/** The Temporal Web page of the workflow (the run) the activity works for. */
export function workflowLink(config: Config): string {
  const { workflowId, runId } = workflowRun();
  return `${config.notifications.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
