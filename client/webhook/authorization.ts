import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Secret } from '../../config/secret';
import { HttpError } from './http';

/** Dataverse sends a webhook key as a header or as `?code=`; Power Automate and F&O use the header. */
export const WEBHOOK_KEY_HEADER = 'x-fsfo-webhook-key';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Refuses the request (401) unless it carries the configured key. Compared in constant time; the
 * key is never echoed or logged. Without a configured key every request is accepted.
 */
export function requireWebhookKey(request: IncomingMessage, url: URL, secret: Secret | undefined): void {
  if (secret === undefined) return;
  const header = request.headers[WEBHOOK_KEY_HEADER];
  const presented = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('code') ?? '';
  if (!timingSafeEqual(digest(presented), digest(secret.reveal()))) {
    throw new HttpError(401, `a valid webhook key is required (header ${WEBHOOK_KEY_HEADER} or ?code=)`);
  }
}
