import { z } from 'zod';
import { dataverseControlRoutes } from './dataverse/control';
import { DataverseData } from './dataverse/dataverse-data';
import { dataverseError } from './dataverse/errors';
import { webhookControlRoutes } from './dataverse/plugin-steps/control';
import { WebhookPublisher } from './dataverse/plugin-steps/webhook-publisher';
import { dataverseService } from './dataverse/service';
import {
  appRegistrationSchema,
  defaultAppRegistration,
  type AppRegistration,
} from './entra/app-registration';
import { TokenAuthority } from './entra/token-authority';
import { entraError } from './entra/token-errors';
import { tokenService } from './entra/token-service';
import { listen, type ListenAddress, type ListeningServer } from './http/server';
import type { SandboxResponse } from './http/types';
import { hostService, type HostedService } from './platform/service-host';
import { emptySandboxState } from './state/sandbox-state';
import { StateHolder } from './state/state-holder';
import { seedDataverse } from './seed/dataverse-seed';
import { seedFinance } from './seed/finance-seed';
import { BusinessEventPublisher } from './finance/business-events';
import { financeCompanies } from './finance/companies';
import { financeControlRoutes } from './finance/control';
import { FinanceData } from './finance/finance-data';
import { financeError } from './finance/errors';
import { financeService } from './finance/service';

const portSchema = z.number().int().min(0).max(65535).optional();

export const sandboxOptionsSchema = z.object({
  ports: z.object({ token: portSchema, dataverse: portSchema, finance: portSchema }).optional(),
  tokenLifetimeSeconds: z.number().int().min(1).optional(),
  persistFile: z.string().optional(),
  seed: z.boolean().optional(),
  businessEventUrl: z.string().url().optional(),
  app: appRegistrationSchema.optional(),
  /** The address the servers listen on. */
  bindHost: z.ipv4().optional(),
  /**
   * The host name in their URLs (token audiences, links, the token endpoint they name): where clients reach
   * them, 127.0.0.1 by default.
   */
  publicHost: z.hostname().optional(),
  /** The F&O integration user's default company, which queries without `cross-company=true` see. */
  financeDefaultCompany: z.enum(financeCompanies).optional(),
});

export type SandboxOptions = z.infer<typeof sandboxOptionsSchema>;

export interface RunningSandboxes {
  urls: { token: string; dataverse: string; finance: string };
  /** The registered Entra app clients must use. */
  app: AppRegistration;
  /** Saves the state (when persisting) and stops the three servers. */
  close(): Promise<void>;
}

/** Starts the Entra ID token service, the Dataverse Web API and the F&O OData service (on 127.0.0.1 by default). */
export async function startSandboxes(input: SandboxOptions = {}): Promise<RunningSandboxes> {
  const options = sandboxOptionsSchema.parse(input);
  const app = options.app ?? defaultAppRegistration;
  const saved = await StateHolder.load(options.persistFile);
  const initial = saved ?? emptySandboxState();
  if (!saved && options.seed) {
    initial.dataverse = seedDataverse();
    initial.finance = seedFinance();
  }
  const holder = new StateHolder(initial, options.persistFile);
  const authority = new TokenAuthority(Buffer.from(holder.state.signingKey, 'base64'));
  const urls = { token: '', dataverse: '', finance: '' };

  const token = tokenService({
    app,
    authority,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    baseUrl: () => urls.token,
    resources: () => [urls.dataverse, urls.finance],
  });
  const dataverseData = new DataverseData(
    () => holder.state.dataverse,
    () => holder.changed(),
  );
  const webhooks = new WebhookPublisher(dataverseData, {
    organizationHost: () => new URL(urls.dataverse).host,
  });
  const dataverse = dataverseService({
    data: dataverseData,
    webhooks,
    baseUrl: () => urls.dataverse,
    tokenServiceUrl: () => urls.token,
    tenantId: app.tenantId,
    authority,
    snapshot: () => holder.snapshot('dataverse'),
    controlRoutes: [
      ...dataverseControlRoutes(
        dataverseData,
        (state) => {
          holder.state.dataverse = state;
          holder.changed();
        },
        seedDataverse,
      ),
      ...webhookControlRoutes(webhooks),
    ],
  });

  const financeData = new FinanceData(
    () => holder.state.finance,
    () => holder.changed(),
  );
  const events = new BusinessEventPublisher(options.businessEventUrl);
  const paging = { pageSize: 10_000 };
  const finance = financeService({
    data: financeData,
    baseUrl: () => urls.finance,
    authority,
    defaultCompany: options.financeDefaultCompany ?? 'usmf',
    serverPageSize: () => paging.pageSize,
    snapshot: () => holder.snapshot('finance'),
    controlRoutes: financeControlRoutes({
      data: financeData,
      events,
      paging,
      seeded: seedFinance,
      replaceState: (state) => {
        holder.state.finance = state;
        holder.changed();
      },
    }),
  });

  const servers: ListeningServer[] = [];
  try {
    servers.push(
      await serve(token, options.ports?.token, options, () =>
        entraError(500, 'server_error', 90000, 'An internal error occurred.'),
      ),
    );
    servers.push(
      await serve(dataverse, options.ports?.dataverse, options, () =>
        dataverseError(500, '0x80040216', 'An unexpected error occurred.'),
      ),
    );
    servers.push(
      await serve(finance, options.ports?.finance, options, () =>
        financeError(500, 'An error has occurred.'),
      ),
    );
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
  [urls.token, urls.dataverse, urls.finance] = servers.map((server) => server.url);
  holder.changed();

  return {
    urls,
    app,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
      await Promise.all([events.settle(), webhooks.settle()]);
      await holder.flush();
    },
  };
}

async function serve(
  service: HostedService,
  port: number | undefined,
  address: ListenAddress,
  onError: () => SandboxResponse,
): Promise<ListeningServer> {
  return listen(hostService(service), port ?? 0, onError, address);
}
