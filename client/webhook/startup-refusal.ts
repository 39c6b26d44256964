import { isIP } from 'node:net';
import type { Secret } from '../../config/secret';

export interface WebhookListenOptions {
  host: string;
  /** Accept requests without a key; only on a loopback address. */
  insecureLoopback: boolean;
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Why the webhook must not start with this key and these options, in one line; undefined when it may. */
export function startupRefusal(
  secret: Secret | undefined,
  options: WebhookListenOptions,
): string | undefined {
  if (options.insecureLoopback && !isLoopback(options.host)) {
    return `--insecure-loopback listens on a loopback address only, not on ${options.host}: set WEBHOOK_SECRET instead`;
  }
  if (secret === undefined && !options.insecureLoopback) {
    return (
      'WEBHOOK_SECRET is not set: the webhook refuses to accept unauthenticated requests ' +
      '(set WEBHOOK_SECRET, at least 16 characters, or pass --insecure-loopback to run without a key on 127.0.0.1)'
    );
  }
  return undefined;
}
