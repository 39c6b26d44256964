import type { WebhookFormat } from '../../config/notifications';
import type { Secret } from '../../config/secret';
import type { OperatorMessage } from './message';
import { SinkError } from './sink-error';
import { slackPayload } from './slack';
import { teamsPayload } from './teams';

const TIMEOUT_MS = 15_000;

export const webhookPayload = (format: WebhookFormat, message: OperatorMessage) =>
  format === 'teams' ? teamsPayload(message) : slackPayload(message);

/**
 * POSTs the message to an incoming webhook in its format. The key goes along as `Idempotency-Key` for
 * relays that honour it; Teams and Slack do not, so the caller must not send twice.
 */
export async function postToWebhook(
  webhook: { url: Secret; format: WebhookFormat },
  message: OperatorMessage,
  idempotencyKey: string,
): Promise<void> {
  const what = `${webhook.format} webhook`;
  let response: Response;
  try {
    response = await fetch(webhook.url.reveal(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(webhookPayload(webhook.format, message)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    // The cause names the host at most, never the URL's path (where the webhook's secret is).
    const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : '';
    throw new SinkError(`${what} not reached: ${cause}`, true);
  }
  const body = (await response.text()).slice(0, 300);
  if (response.ok) return;
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new SinkError(
    `${what} answered ${response.status}${body ? `: ${body}` : ''}` +
      (retryable ? '' : ' (check NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_FORMAT)'),
    retryable,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}
