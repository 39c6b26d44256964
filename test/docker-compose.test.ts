import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, LOCAL_STACK } from '../config/config';

// No Docker engine runs here, so this checks the wiring of docker-compose.yml instead of running it.
const ROOT = resolve(__dirname, '..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  network_mode?: string;
}
const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const { services } = compose;

test('the stack has Temporal on PostgreSQL, Temporal Web, setup, the sandboxes and the worker', () => {
  expect(Object.keys(services).sort()).toEqual([
    'postgresql',
    'sandboxes',
    'setup',
    'temporal',
    'temporal-ui',
    'webhook',
    'worker',
  ]);
  expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  expect(services['temporal-ui']!.environment).toEqual({ TEMPORAL_ADDRESS: 'temporal:7233' });
});

test('ports match what npm start uses', () => {
  const portOf = (url: string) => new URL(url).port;
  expect(services.temporal!.ports).toEqual(['7233:7233']);
  expect(services['temporal-ui']!.ports).toEqual(['8233:8080']);
  expect(services.sandboxes!.ports).toEqual(
    [LOCAL_STACK.tokenUrl, LOCAL_STACK.fieldServiceUrl, LOCAL_STACK.financeUrl].map(
      (u) => `${portOf(u)}:${portOf(u)}`,
    ),
  );
});

test('the worker and setup get every configuration variable, pointed at the compose services', () => {
  for (const name of ['worker', 'setup', 'webhook']) {
    const env = services[name]!.environment!;
    expect(Object.keys(env).sort()).toEqual([...CONFIG_VARIABLES].sort());
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
  }
  // Sharing the sandboxes' network namespace is what makes the loopback FS_URL/FNO_URL defaults reach them.
  expect(services.worker!.network_mode).toBe('service:sandboxes');
  expect(services.webhook!.network_mode).toBe('service:sandboxes');
  // F&O's business events reach the webhook endpoint over the shared loopback, on its default port.
  expect(services.webhook!.environment!.WEBHOOK_PORT).toBe('${WEBHOOK_PORT:-5090}');
  expect(services.sandboxes!.environment!.FSFO_BUSINESS_EVENT_URL).toBe(
    'http://127.0.0.1:5090/webhooks/fno/business-events',
  );
  expect(services.worker!.environment!.FS_URL).toContain(LOCAL_STACK.fieldServiceUrl);
});

test('start-up order: database, Temporal, search attributes, then the worker', () => {
  expect(services.temporal!.depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
  expect(services['temporal-ui']!.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
  expect(services.setup!.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
  expect(services.worker!.depends_on).toEqual({
    setup: { condition: 'service_completed_successfully' },
    sandboxes: { condition: 'service_started' },
  });
});

test('services built from the repository run entry points that exist', () => {
  expect(existsSync(resolve(ROOT, 'Dockerfile'))).toBe(true);
  for (const name of ['setup', 'sandboxes', 'worker', 'webhook']) {
    const service = services[name]!;
    expect(service.build).toBe('.');
    const [node, ...args] = service.command!;
    expect(node).toBe('node');
    const entry = args.find((arg) => arg.startsWith('dist/'));
    const source = entry!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(existsSync(resolve(ROOT, source))).toBe(true);
  }
});
