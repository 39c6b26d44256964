import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startupRefusal } from '../../client/webhook/startup-refusal';
import { CONFIG_VARIABLES, loadConfig, LOCAL_STACK } from '../../config/config';
import {
  type ComposeModel,
  type Environment,
  loadCompose,
  publishedPorts,
  referencedServices,
  requiredVariables,
} from './compose-model';

// No Docker engine runs here: these tests check the model compose would build from each variant's file.
const ROOT = resolve(__dirname, '..', '..');
const DEMO_FILE = join(ROOT, 'docker-compose.demo.yml');
const TENANT_FILE = join(ROOT, 'docker-compose.yml');
const PRODUCT_SERVICES = ['setup', 'worker', 'webhook'];

/** What an operator fills `.env.example` in with. */
const TENANT_ENV: Environment = {
  FS_URL: 'https://contoso.crm.dynamics.com',
  FNO_URL: 'https://contoso.operations.dynamics.com',
  AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
  AZURE_CLIENT_ID: '6f1c1d64-3a52-4c8e-9d0f-2b8f6a4e7c11',
  AZURE_CLIENT_SECRET: 'client-secret-from-entra',
  WEBHOOK_SECRET: 'a-random-key-of-at-least-16-characters',
};

const variants: Record<'demo' | 'real-tenant', () => ComposeModel> = {
  // The demo needs nothing set.
  demo: () => loadCompose(DEMO_FILE, {}),
  'real-tenant': () => loadCompose(TENANT_FILE, TENANT_ENV),
};
const variantNames = Object.keys(variants) as (keyof typeof variants)[];

function envFileVariables(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => line.slice(0, line.indexOf('=')));
}

/** The ports of the table in README's "## Deployment": `{ port, demoOnly }`. */
function readmePorts(): { port: number; demoOnly: boolean }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Deployment\n'));
  if (!section) throw new Error('README.md has no "## Deployment" section');
  return [...section.matchAll(/^\|\s*(\d+)\s*\|.*$/gm)].map((row) => ({
    port: Number(row[1]),
    demoOnly: row[0].includes('demo only'),
  }));
}

/** The `--host` a service's command passes to the webhook, and whether it runs without a key. */
function webhookListenOptions(command: string[]) {
  const host = command.indexOf('--host');
  return {
    host: host === -1 ? '127.0.0.1' : command[host + 1]!,
    insecureLoopback: command.includes('--insecure-loopback'),
  };
}

describe.each(variantNames)('the %s variant', (variant) => {
  const model = variants[variant]();
  const { services } = model;

  test('every service a service names exists in it', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const referenced of referencedServices(service)) {
        expect(`${name} → ${referenced}: ${referenced in services}`).toBe(`${name} → ${referenced}: true`);
      }
    }
  });

  test('every product container gets every configuration variable, and the product accepts them', () => {
    for (const name of PRODUCT_SERVICES) {
      const env = services[name]!.environment!;
      expect(CONFIG_VARIABLES.filter((variable) => !(variable in env))).toEqual([]);
      const config = loadConfig(env);
      const [temporalHost] = config.temporal.address.split(':');
      expect(services).toHaveProperty([temporalHost!]);
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    }
  });

  test('setup applies the search attributes and the schedules; worker and webhook start after it', () => {
    const script = services.setup!.command!.join(' ');
    expect(script).toMatch(/cli\.js setup && node dist\/client\/cli\.js schedules apply/);
    expect(services.setup!.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    for (const name of ['worker', 'webhook']) {
      expect(services[name]!.depends_on!.setup).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  test('the webhook listens on the compose network and requires its key', () => {
    const { command, environment } = services.webhook!;
    const options = webhookListenOptions(command!);
    expect(options).toEqual({ host: '0.0.0.0', insecureLoopback: false });
    const config = loadConfig(environment);
    expect(config.webhook.secret).toBeDefined();
    expect(startupRefusal(config.webhook.secret, options)).toBeUndefined();
  });

  test('every named volume is declared; what a container of the image writes is a volume node owns', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const [source, target] = volume.split(':') as [string, string];
        if (source.startsWith('/')) continue;
        expect(`${name}: ${source} declared: ${model.volumes.includes(source)}`).toBe(
          `${name}: ${source} declared: true`,
        );
        if (service.build !== ROOT) continue;
        // A named volume starts as a copy of the image's directory, owner included; the image runs as node.
        const path = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const created = new RegExp(`^RUN .*mkdir -p ${path} && chown node:node ${path}$`, 'm');
        expect(`${target}: ${created.test(finalStage)}`).toBe(`${target}: true`);
      }
    }
  });

  test("the ports it publishes are the ones README's deployment section lists, on the host's loopback", () => {
    const listed = readmePorts()
      .filter((row) => variant === 'demo' || !row.demoOnly)
      .map((row) => row.port);
    const published = Object.values(services).flatMap(publishedPorts);
    expect([...published].sort((a, b) => a - b)).toEqual([...listed].sort((a, b) => a - b));
    for (const service of Object.values(services)) {
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  test('Prometheus scrapes the worker, Grafana shows its dashboard, Jaeger receives the traces', () => {
    expect(services.prometheus!.image).toMatch(/^prom\/prometheus:/);
    expect(services.prometheus!.volumes).toContain(
      `${join(ROOT, 'deploy/prometheus/prometheus.yml')}:/etc/prometheus/prometheus.yml:ro`,
    );
    expect(services.worker!.environment!.METRICS_BIND_ADDRESS).toBe('0.0.0.0:9464');
    expect(services.grafana!.image).toMatch(/^grafana\/grafana:/);
    expect(services.grafana!.volumes).toEqual([
      `${join(ROOT, 'deploy/grafana/provisioning')}:/etc/grafana/provisioning:ro`,
      `${join(ROOT, 'deploy/grafana/dashboards')}:/var/lib/grafana/dashboards:ro`,
    ]);
    expect(services.grafana!.environment).toMatchObject({
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
    });
    expect(services.jaeger!.image).toMatch(/^jaegertracing\/all-in-one:/);
  });

  test('services built from the repository run entry points that exist', () => {
    for (const service of Object.values(services).filter((s) => s.build !== undefined)) {
      expect(service.build).toBe(ROOT);
      const entries = service.command!.join(' ').match(/\bdist\/[\w/.-]+\.js\b/g)!;
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
        expect(`${source}: ${existsSync(join(ROOT, source))}`).toBe(`${source}: true`);
      }
    }
  });
});

describe('the real-tenant variant', () => {
  test('requires the tenant, its credentials and the webhook key, naming each one missing', () => {
    const required = requiredVariables(TENANT_FILE);
    expect(required.sort()).toEqual(Object.keys(TENANT_ENV).sort());
    expect(envFileVariables(join(ROOT, '.env.example')).sort()).toEqual(required.sort());
    for (const variable of required) {
      for (const missing of [undefined, '']) {
        expect(() => loadCompose(TENANT_FILE, { ...TENANT_ENV, [variable]: missing })).toThrow(
          `required variable ${variable} is missing a value: set ${variable}`,
        );
      }
    }
  });

  test('runs no sandboxes, depends on none and points at no sandbox', () => {
    const model = variants['real-tenant']();
    expect(model.services).not.toHaveProperty('sandboxes');
    const text = JSON.stringify(model);
    for (const sandbox of [
      'sandboxes',
      LOCAL_STACK.tokenUrl,
      LOCAL_STACK.fieldServiceUrl,
      LOCAL_STACK.financeUrl,
      LOCAL_STACK.tenantId,
      LOCAL_STACK.clientSecret,
    ]) {
      expect(text).not.toContain(sandbox);
    }
    for (const name of PRODUCT_SERVICES) {
      const config = loadConfig(model.services[name]!.environment!);
      expect(config.fieldService.url).toBe(TENANT_ENV.FS_URL);
      expect(config.finance.url).toBe(TENANT_ENV.FNO_URL);
      expect(config.azure.tokenUrl).toBeUndefined();
    }
  });
});

describe('the demo variant', () => {
  const { services } = variants.demo();
  const portOf = (url: string) => Number(new URL(url).port);

  test('the product reaches the sandboxes by service name, on the ports they listen on', () => {
    const sandboxes = services.sandboxes!;
    expect(sandboxes.environment).toMatchObject({
      SANDBOX_BIND_HOST: '0.0.0.0',
      SANDBOX_PUBLIC_HOST: 'sandboxes',
    });
    const listening = publishedPorts(sandboxes);
    expect(listening).toEqual(
      [LOCAL_STACK.tokenUrl, LOCAL_STACK.fieldServiceUrl, LOCAL_STACK.financeUrl].map(portOf),
    );
    for (const name of PRODUCT_SERVICES) {
      const { fieldService, finance, azure } = loadConfig(services[name]!.environment!);
      for (const url of [fieldService.url, finance.url, azure.tokenUrl!]) {
        expect(new URL(url).hostname).toBe('sandboxes');
        expect(listening).toContain(portOf(url));
      }
    }
    for (const name of ['worker', 'webhook']) {
      expect(services[name]!.depends_on!.sandboxes).toEqual({ condition: 'service_healthy' });
    }
  });

  test("F&O's business events reach the webhook with its key", () => {
    const eventUrl = new URL(services.sandboxes!.environment!.FSFO_BUSINESS_EVENT_URL!);
    const webhook = loadConfig(services.webhook!.environment!).webhook;
    expect(eventUrl.hostname).toBe('webhook');
    expect(Number(eventUrl.port)).toBe(webhook.port);
    expect(eventUrl.pathname).toBe('/webhooks/fno/business-events');
    expect(eventUrl.searchParams.get('code')).toBe(webhook.secret!.reveal());
  });

  test('the sandboxes keep their state in the volume', () => {
    const { environment, volumes } = services.sandboxes!;
    expect(volumes).toContain(`sandbox-data:${environment!.FSFO_DATA_DIR}`);
  });

  test('the watchers start from the beginning, so the seeded work orders get their workflows', () => {
    expect(services.setup!.command!.join(' ')).toContain('schedules apply --since 1970-01-01T00:00:00Z');
  });
});
