import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../config/config';

const issuesOf = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
};

test('no notification variable: no sink, no reminder, no digest, Temporal Web on this machine', () => {
  expect(loadConfig({}).notifications).toEqual({ temporalUiUrl: 'http://localhost:8233' });
});

test('webhook, e-mail, reminder and digest from their variables; the secrets never print', () => {
  const { notifications } = loadConfig({
    NOTIFY_WEBHOOK_URL: 'https://contoso.webhook.office.com/webhookb2/abc',
    NOTIFY_WEBHOOK_FORMAT: 'slack',
    SMTP_URL: 'smtp://fsfo:s3cret@mail.contoso.com:587',
    NOTIFY_EMAIL_FROM: 'fsfo@contoso.com',
    NOTIFY_EMAIL_TO: 'ops@contoso.com, dana@contoso.com',
    APPROVAL_REMINDER_AFTER: '2 days',
    TEMPORAL_UI_URL: 'https://temporal.contoso.com/',
    NOTIFY_DIGEST_AT: '07:00',
    NOTIFY_DIGEST_TIME_ZONE: 'Europe/Berlin',
  });
  expect(notifications.webhook?.format).toBe('slack');
  expect(notifications.webhook?.url.reveal()).toBe('https://contoso.webhook.office.com/webhookb2/abc');
  expect(notifications.email).toMatchObject({
    from: 'fsfo@contoso.com',
    to: ['ops@contoso.com', 'dana@contoso.com'],
  });
  expect(notifications.approvalReminderAfterMs).toBe(2 * 24 * 3600 * 1000);
  expect(notifications.temporalUiUrl).toBe('https://temporal.contoso.com');
  expect(notifications.digest).toEqual({ at: '07:00', timeZone: 'Europe/Berlin' });
  const printed = `${inspect(notifications)} ${JSON.stringify(notifications)}`;
  expect(printed).not.toContain('s3cret');
  expect(printed).not.toContain('webhookb2/abc');
});

test('bad or half-given notification variables are each named', () => {
  expect(
    issuesOf({
      NOTIFY_WEBHOOK_URL: 'http://contoso.webhook.office.com/webhookb2/abc',
      NOTIFY_WEBHOOK_FORMAT: 'discord',
      SMTP_URL: 'smtp://mail.contoso.com',
      APPROVAL_REMINDER_AFTER: 'soon',
      NOTIFY_DIGEST_AT: '7am',
      NOTIFY_DIGEST_TIME_ZONE: 'Mars/Olympus',
    }).map((issue) => issue.variable),
  ).toEqual([
    'NOTIFY_WEBHOOK_URL',
    'NOTIFY_WEBHOOK_FORMAT',
    'APPROVAL_REMINDER_AFTER',
    'NOTIFY_DIGEST_AT',
    'NOTIFY_DIGEST_TIME_ZONE',
    'NOTIFY_EMAIL_FROM',
    'NOTIFY_EMAIL_TO',
  ]);
});
