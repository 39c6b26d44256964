import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '../../config/secret';
import type { OperatorMessage } from '../../connectors/notifications/message';
import { SinkError } from '../../connectors/notifications/sink-error';
import { postToWebhook } from '../../connectors/notifications/webhook-sink';

// A webhook that answers what the test says, and keeps what it was sent.
let server: Server;
let url: string;
let answer: { status: number; headers?: Record<string, string>; body?: string };
const received: { headers: Record<string, unknown>; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/secret-token`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => (received.length = 0));

const message: OperatorMessage = {
  title: 'Needs attention: work order WO-1',
  facts: [{ label: 'Stage', value: 'SyncingMasterData' }],
  actions: ['fsfo work-order retry WO-1'],
  link: { label: 'Open in Temporal Web', url: 'http://localhost:8233/x' },
};

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as SinkError,
  );

test('posts the chosen format with the idempotency key', async () => {
  answer = { status: 200, body: 'ok' };
  await postToWebhook({ url: new Secret(url), format: 'slack' }, message, 'work-order-WO-1.run.1');
  expect(received).toHaveLength(1);
  expect(received[0]!.body).toMatchObject({ text: 'Needs attention: work order WO-1' });
  expect(received[0]!.headers['idempotency-key']).toBe('work-order-WO-1.run.1');
});

test('429 and 5xx are retried (after Retry-After when given); a 4xx is not, and says what to check', async () => {
  answer = { status: 429, headers: { 'retry-after': '3' }, body: 'slow down' };
  const throttled = await failureOf(postToWebhook({ url: new Secret(url), format: 'teams' }, message, 'k'));
  expect(throttled).toBeInstanceOf(SinkError);
  expect(throttled).toMatchObject({ retryable: true, retryAfterMs: 3000 });

  answer = { status: 502 };
  expect(
    await failureOf(postToWebhook({ url: new Secret(url), format: 'teams' }, message, 'k')),
  ).toMatchObject({
    retryable: true,
  });

  answer = { status: 404, body: 'webhook not found' };
  const refused = await failureOf(postToWebhook({ url: new Secret(url), format: 'teams' }, message, 'k'));
  expect(refused).toMatchObject({ retryable: false });
  expect(refused.message).toBe(
    'teams webhook answered 404: webhook not found (check NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_FORMAT)',
  );
  expect(refused.message).not.toContain('secret-token');
});

test('an unreachable webhook is retried, and its URL is not in the message', async () => {
  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const failure = await failureOf(
    postToWebhook(
      { url: new Secret(`http://127.0.0.1:${port}/secret-token`), format: 'slack' },
      message,
      'k',
    ),
  );
  expect(failure).toMatchObject({ retryable: true });
  expect(failure.message).toMatch(/^slack webhook not reached: /);
  expect(failure.message).not.toContain('secret-token');
});
