import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { jsonResponse } from '../http/json';
import { header, type RequestHandler, type SandboxRequest, type SandboxResponse } from '../http/types';
import type { TokenAuthority } from '../entra/token-authority';
import { readControlBody } from './control-body';
import { routeControl, type ControlRoute } from './control-router';
import { chance, faultSettingsSchema, noFaults, type FaultSettings } from './faults';
import { ConcurrencyLimit } from './concurrency-limit';
import { RequestBudget, requestBudgetSchema } from './request-budget';
import { RequestStats } from './request-stats';
import type { ThrottleCause } from './throttle-cause';

export type AuthFailure = 'missing' | 'invalid' | 'expired' | 'audience';

/** What one sandboxed service contributes; the host adds auth, faults, limits and statistics around it. */
export interface HostedService {
  /** For the statistics: the entity set (or other resource) a request addresses. */
  resourceOf(request: SandboxRequest): string;
  handle(request: SandboxRequest): Promise<SandboxResponse>;
  controlRoutes: ControlRoute[];
  /** Present on the APIs: requests need a bearer token for this audience. */
  auth?: {
    audience(): string;
    authority: TokenAuthority;
    unauthorized(failure: AuthFailure): SandboxResponse;
  };
  throttled(retryAfterSeconds: number, cause: ThrottleCause): SandboxResponse;
  serverError(): SandboxResponse;
}

const partialFaults = faultSettingsSchema.partial();
/** A PUT replaces both limits; an omitted or null limit is off. */
const limitsSchema = z
  .object({
    requestBudget: requestBudgetSchema.nullable().optional(),
    /** Requests one client may have in flight at once. */
    concurrencyLimit: z.number().int().min(1).nullable().optional(),
  })
  .strict();

/** Wraps a service with the control API, auth, limits, fault injection and request statistics. */
export function hostService(service: HostedService): RequestHandler {
  let faults: FaultSettings = { ...noFaults };
  const budget = new RequestBudget(undefined);
  const concurrency = new ConcurrencyLimit(undefined);
  const stats = new RequestStats();
  const limitsReport = () => ({
    requestBudget: budget.settings ?? null,
    concurrencyLimit: concurrency.limit ?? null,
  });

  const controlRoutes: ControlRoute[] = [
    { method: 'GET', path: /^\/faults$/, handle: () => jsonResponse(200, faults) },
    {
      method: 'PUT',
      path: /^\/faults$/,
      handle: (request) => {
        const body = readControlBody(request, partialFaults);
        if (!body.ok) return body.response;
        faults = { ...noFaults, ...body.value };
        return jsonResponse(200, faults);
      },
    },
    {
      method: 'GET',
      path: /^\/limits$/,
      handle: () => jsonResponse(200, limitsReport()),
    },
    {
      method: 'PUT',
      path: /^\/limits$/,
      handle: (request) => {
        const body = readControlBody(request, limitsSchema);
        if (!body.ok) return body.response;
        budget.configure(body.value.requestBudget ?? undefined);
        concurrency.limit = body.value.concurrencyLimit ?? undefined;
        return jsonResponse(200, limitsReport());
      },
    },
    { method: 'GET', path: /^\/stats$/, handle: () => jsonResponse(200, stats.report()) },
    {
      method: 'DELETE',
      path: /^\/stats$/,
      handle: () => {
        stats.reset();
        return { status: 204 };
      },
    },
    ...(service.auth ? [expireTokensRoute(service.auth)] : []),
    ...service.controlRoutes,
  ];

  const handler: RequestHandler = async (request) => {
    if (request.url.pathname === '/_sandbox' || request.url.pathname.startsWith('/_sandbox/')) {
      return routeControl(controlRoutes, request);
    }
    const response = await handleApi(request);
    stats.record(request.method, service.resourceOf(request), response.status);
    return response;
  };

  async function handleApi(request: SandboxRequest): Promise<SandboxResponse> {
    let client = 'anonymous';
    if (service.auth) {
      const check = service.auth.authority.check(header(request, 'authorization'), service.auth.audience());
      if (!check.ok) return service.auth.unauthorized(check.reason);
      client = check.claims.appid;
    }
    if (!concurrency.enter(client)) {
      return service.throttled(1, { kind: 'concurrency', limit: concurrency.limit ?? 0 });
    }
    try {
      if (faults.latencyMs > 0) await delay(faults.latencyMs);
      if (chance(faults.throttleRate))
        return service.throttled(faults.throttleRetryAfterSeconds, { kind: 'load' });
      const overBudget = budget.take(client);
      if (overBudget) {
        return service.throttled(overBudget.retryAfterSeconds, { kind: 'requests', ...overBudget.settings });
      }
      if (chance(faults.serverErrorRate)) return service.serverError();
      const response = await service.handle(request);
      return chance(faults.dropConnectionRate) ? { ...response, dropConnection: true } : response;
    } finally {
      concurrency.leave(client);
    }
  }

  return handler;
}

function expireTokensRoute(auth: NonNullable<HostedService['auth']>): ControlRoute {
  return {
    method: 'POST',
    path: /^\/expire-tokens$/,
    handle: () => {
      auth.authority.expireAll(auth.audience());
      return { status: 204 };
    },
  };
}
