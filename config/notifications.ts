import { msToNumber } from '@temporalio/common';
import { z } from 'zod';
import { Secret } from './secret';

/** Where operators are told that a document needs a person (docs/OPERATING.md, "Notifications"). */
export interface NotificationSettings {
  /** An incoming webhook (its URL is a credential) and the message format it speaks. */
  webhook?: { url: Secret; format: WebhookFormat };
  /** E-mail over SMTP: the server (URL with its credentials), sender and recipients. */
  email?: { smtpUrl: Secret; from: string; to: string[] };
  /** How long a document may wait for approval before one reminder; none when unset. */
  approvalReminderAfterMs?: number;
  /** Temporal Web, for the links in each message. */
  temporalUiUrl: string;
  /** A daily digest of what waits for a person, at `at` (HH:MM) in `timeZone`; none when unset. */
  digest?: { at: string; timeZone: string };
}

export const WEBHOOK_FORMATS = ['teams', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Durations in Temporal's format: "2 days", "36h", "90 minutes". */
const duration = z.string().transform((value, ctx) => {
  let ms: number;
  try {
    ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
  } catch {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms) || ms < 1000) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a duration of at least 1 second, e.g. "2 days" or "36h"',
    });
    return z.NEVER;
  }
  return ms;
});

/** The webhook's URL is its credential: only https leaves the machine. */
const webhookUrl = httpUrl.refine(
  (url) => url.startsWith('https://') || ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname),
  'must use https unless it is a loopback address',
);

const address = z.email({ error: 'must be an e-mail address' });

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin or UTC');

/** The notification variables, each validated alone; `notificationSettings` checks how they combine. */
export const NOTIFICATION_VARIABLES = {
  NOTIFY_WEBHOOK_URL: webhookUrl,
  NOTIFY_WEBHOOK_FORMAT: z.enum(WEBHOOK_FORMATS, { error: 'must be teams or slack' }),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be smtp://user:password@host:port or smtps://…' }),
  NOTIFY_EMAIL_FROM: address,
  NOTIFY_EMAIL_TO: z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim()))
    .pipe(z.array(address).min(1)),
  APPROVAL_REMINDER_AFTER: duration,
  TEMPORAL_UI_URL: httpUrl.transform((url) => url.replace(/\/+$/, '')),
  NOTIFY_DIGEST_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 07:00'),
  NOTIFY_DIGEST_TIME_ZONE: timeZone,
};

type Values = { [V in keyof typeof NOTIFICATION_VARIABLES]?: z.output<(typeof NOTIFICATION_VARIABLES)[V]> };

/** The notification settings from the parsed variables, or the issues of a sink configured by halves. */
export function notificationSettings(
  values: Values,
): { settings: NotificationSettings } | { issues: { variable: string; message: string }[] } {
  const issues: { variable: string; message: string }[] = [];
  const settings: NotificationSettings = {
    temporalUiUrl: values.TEMPORAL_UI_URL ?? 'http://localhost:8233',
    approvalReminderAfterMs: values.APPROVAL_REMINDER_AFTER,
  };
  if (values.NOTIFY_WEBHOOK_URL !== undefined) {
    settings.webhook = {
      url: new Secret(values.NOTIFY_WEBHOOK_URL),
      format: values.NOTIFY_WEBHOOK_FORMAT ?? 'teams',
    };
  }
  const { SMTP_URL, NOTIFY_EMAIL_FROM, NOTIFY_EMAIL_TO } = values;
  if (SMTP_URL !== undefined && NOTIFY_EMAIL_FROM !== undefined && NOTIFY_EMAIL_TO !== undefined) {
    settings.email = { smtpUrl: new Secret(SMTP_URL), from: NOTIFY_EMAIL_FROM, to: NOTIFY_EMAIL_TO };
  } else if (SMTP_URL !== undefined || NOTIFY_EMAIL_FROM !== undefined || NOTIFY_EMAIL_TO !== undefined) {
    for (const [variable, value] of Object.entries({ SMTP_URL, NOTIFY_EMAIL_FROM, NOTIFY_EMAIL_TO })) {
      if (value === undefined) issues.push({ variable, message: 'is required for e-mail notifications' });
    }
  }
  if (values.NOTIFY_DIGEST_AT !== undefined) {
    settings.digest = { at: values.NOTIFY_DIGEST_AT, timeZone: values.NOTIFY_DIGEST_TIME_ZONE ?? 'UTC' };
  }
  return issues.length > 0 ? { issues } : { settings };
}
