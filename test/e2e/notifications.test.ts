import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { DigestOutcome } from '../../activities/notifications/contract';
import { applyDigestSchedule, DIGEST_SCHEDULE_ID } from '../../client/digest-schedule';
import { runScheduleNow } from '../../client/schedules';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import { notificationDigest, type workOrderInvoicing } from '../../workflows';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import {
  header,
  type SmtpReceiver,
  startSmtpReceiver,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../support/notification-receivers';
import { startStack, type Stack } from '../support/stack';
import { connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';
import { processWorker, type TestWorker } from '../support/workers';

// Worker (its own process, so it can be killed) + Temporal + the sandboxes, and local receivers for the
// sinks: an HTTP server as the Teams webhook, an SMTP server as the mail relay.
let env: TestWorkflowEnvironment;
let stack: Stack;
let webhook: WebhookReceiver;
let smtp: SmtpReceiver;
let notifyEnv: Record<string, string>;
let workflowBundle: string;
let worker: TestWorker | undefined;
const REMINDER_MS = 3_000;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = join(mkdtempSync(join(tmpdir(), 'fsfo-notify-')), 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundle);
  webhook = await startWebhookReceiver();
  // The first e-mail's transaction is held: the test kills the worker while it waits.
  smtp = await startSmtpReceiver({ holdFirst: true });
  notifyEnv = {
    NOTIFY_WEBHOOK_URL: webhook.url,
    NOTIFY_WEBHOOK_FORMAT: 'teams',
    SMTP_URL: smtp.url,
    NOTIFY_EMAIL_FROM: 'fsfo@contoso.com',
    NOTIFY_EMAIL_TO: 'operators@contoso.com',
    TEMPORAL_UI_URL: 'http://temporal.contoso.test:8233',
    APPROVAL_REMINDER_AFTER: `${REMINDER_MS}ms`,
    NOTIFY_DIGEST_AT: '07:00',
    NOTIFY_DIGEST_TIME_ZONE: 'Europe/Berlin',
  };
  stack = await startStack('e2e-notify', {}, notifyEnv);
  worker = processWorker(stack, workflowBundle, notifyEnv);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await webhook?.close();
  await smtp?.close();
  await env?.teardown();
});

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

const bodyOf = (raw: string) =>
  raw
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('\n\n')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const { PENDING_ACTIVITY_STATE_STARTED } = temporal.api.enums.v1.PendingActivityState;

/** The notifyOperators attempt running now and the sinks its heartbeats recorded as reached. */
async function notificationInFlight(number: string) {
  const handle = env.client.workflow.getHandle(workOrderWorkflowId(number));
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  const notify = pending.find((activity) => activity.activityType?.name === 'notifyOperators');
  if (notify?.state !== PENDING_ACTIVITY_STATE_STARTED) return undefined;
  const payload = notify.heartbeatDetails?.payloads?.[0]?.data;
  const details = payload
    ? (JSON.parse(Buffer.from(payload).toString('utf8')) as { delivered: string[] })
    : undefined;
  return { attempt: notify.attempt ?? 1, delivered: details?.delivered ?? [] };
}

/** The attempt on which notifyOperators completed, once it has. */
async function notificationCompleted(number: string): Promise<number | undefined> {
  const handle = env.client.workflow.getHandle(workOrderWorkflowId(number));
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.find(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'notifyOperators',
  );
  if (!scheduled) return undefined;
  const done = events.find(
    (event) =>
      String(event.activityTaskCompletedEventAttributes?.scheduledEventId ?? '') ===
      String(scheduled.eventId),
  );
  const started = events.find(
    (event) => String(event.eventId) === String(done?.activityTaskCompletedEventAttributes?.startedEventId),
  );
  return started?.activityTaskStartedEventAttributes?.attempt ?? undefined;
}

test('a work order parked in NeedsAttention: one Teams message and one e-mail, also when the worker is killed mid-notification', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-002',
    // P-9000 is known only to Field Service: the template's filter refuses the work order.
    products: [{ product: 'P-9000', used: true, estimate: 2, quantity: 2, price: 10 }],
  });
  await startWorkOrder(env.client, stack.config, number);
  const handle = env.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));
  const parked = await waitForStage(handle, 'NeedsAttention', 90_000);

  // The webhook has its message; the e-mail waits on the held SMTP transaction. Once Temporal has the
  // heartbeat that records the webhook as reached, the worker dies.
  await smtp.held;
  const inFlight = await until('the heartbeat recording the webhook', async () => {
    const attempt = await notificationInFlight(number);
    return attempt?.delivered.includes('webhook') ? attempt : undefined;
  });
  await worker!.stop();
  worker = processWorker(stack, workflowBundle, notifyEnv);

  // The retry (after the heartbeat timeout) sends only the e-mail.
  const completedOn = await until('notifyOperators to complete', () => notificationCompleted(number));
  expect(completedOn).toBeGreaterThan(inFlight.attempt);

  expect(webhook.bodies).toHaveLength(1);
  const card = (webhook.bodies[0] as { attachments: { content: { body: unknown[]; actions: unknown[] } }[] })
    .attachments[0]!.content;
  expect(card.body).toContainEqual(
    expect.objectContaining({ type: 'TextBlock', text: `Needs attention: work order ${number}` }),
  );
  expect(card.body).toContainEqual({
    type: 'FactSet',
    facts: [
      { title: 'Document', value: `work order ${number}` },
      { title: 'Stage', value: parked.attention!.stage },
      { title: 'Reason', value: parked.attention!.reason },
      { title: 'Since', value: parked.attention!.since },
    ],
  });
  expect(parked.attention!.reason).toContain('product P-9000 is not maintained in F&O');
  expect(card.body).toContainEqual(expect.objectContaining({ text: `fsfo work-order retry ${number}` }));
  const { runId } = await handle.describe();
  expect(card.actions).toEqual([
    expect.objectContaining({
      url: `http://temporal.contoso.test:8233/namespaces/${stack.config.temporal.namespace}/workflows/${workOrderWorkflowId(number)}/${runId}/history`,
    }),
  ]);

  expect(smtp.messages).toHaveLength(1);
  const [mail] = smtp.messages;
  expect(header(mail!, 'Subject')).toBe(`Needs attention: work order ${number}`);
  expect(header(mail!, 'To')).toBe('operators@contoso.com');
  expect(header(mail!, 'Message-ID')).toMatch(
    new RegExp(`^<work-order-${number}\\.${runId}\\.\\d+@contoso\\.com>$`),
  );
  expect(bodyOf(mail!)).toContain(`fsfo work-order retry ${number}`);
  expect(bodyOf(mail!)).toContain(parked.attention!.reason);
});

test('an approval that waits longer than APPROVAL_REMINDER_AFTER: one reminder for the wait', async () => {
  const before = { webhook: webhook.bodies.length, mail: smtp.messages.length };
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-002',
    products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 45 }],
  });
  await startWorkOrder(env.client, stack.config, number);
  const handle = env.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));
  const waiting = await waitForStage(handle, 'AwaitingApproval', 90_000);
  const reminders = () => webhook.bodies.slice(before.webhook).map((body) => JSON.stringify(body));
  await until(
    'the reminder',
    () => (reminders().length > 0 && smtp.messages.length > before.mail) || undefined,
  );
  const remindedAt = Date.now();
  expect(reminders()[0]).toContain(`Waiting for approval: work order ${number}`);
  expect(reminders()[0]).toContain(`fsfo work-order approve ${number} --by`);
  expect(Date.now() - Date.parse(waiting.approvalWait!.since)).toBeGreaterThanOrEqual(REMINDER_MS);
  // Two more reminder intervals pass with no second reminder.
  while (Date.now() < remindedAt + 2 * REMINDER_MS) await delay(200);
  expect(reminders()).toHaveLength(1);
  expect(smtp.messages.length - before.mail).toBe(1);
  expect((await waitForStage(handle, 'AwaitingApproval')).approvalWait).toMatchObject({ reminded: true });
});

test('the daily digest lists the work orders in NeedsAttention and AwaitingApproval of this deployment', async () => {
  const before = webhook.bodies.length;
  const query =
    `TaskQueue = '${stack.config.temporal.taskQueue}' AND ExecutionStatus = 'Running' ` +
    `AND IntegrationStage IN ('NeedsAttention', 'AwaitingApproval')`;
  const waiting = await until('visibility to list both work orders', async () => {
    let count = 0;
    for await (const _ of env.client.workflow.list({ query })) count++;
    return count === 2 ? count : undefined;
  });
  expect(waiting).toBe(2);
  // The schedule `fsfo schedules apply` creates, paused so that only the trigger runs it.
  expect(await applyDigestSchedule(env.client, stack.config, { paused: true })).toBe('created');
  const schedule = env.client.schedule.getHandle(DIGEST_SCHEDULE_ID);
  const outcome = await (async () => {
    try {
      const { spec, action } = await schedule.describe();
      expect(spec.calendars).toEqual([
        expect.objectContaining({
          hour: [{ start: 7, end: 7, step: 1 }],
          minute: [{ start: 0, end: 0, step: 1 }],
        }),
      ]);
      expect(spec.timezone).toBe('Europe/Berlin');
      expect(action).toMatchObject({ workflowType: notificationDigest.name });
      return await runScheduleNow<DigestOutcome>(env.client, DIGEST_SCHEDULE_ID, { timeoutMs: 60_000 });
    } finally {
      await schedule.delete();
    }
  })();
  expect(outcome).toEqual({ waiting: 2, delivered: ['webhook', 'email'] });
  expect(webhook.bodies).toHaveLength(before + 1);
  const digest = JSON.stringify(webhook.bodies[before]);
  expect(digest).toContain('fsfo daily digest: 2 waiting for a person');
  expect(digest).toMatch(/NeedsAttention: work-order-WO-T\w+/);
  expect(digest).toMatch(/AwaitingApproval: work-order-WO-T\w+/);
});
