import type { RequestStats, Service } from './sandbox-client';

export type Stats = Record<Service, RequestStats>;

export const SERVICES = ['dataverse', 'finance', 'token'] as const satisfies readonly Service[];

export interface RequestsPerWorkOrder {
  /** Dynamics 365 requests (Dataverse and F&O), token requests left out. */
  total: number;
  byService: Record<Service, number>;
  /** `service METHOD entitySet`, with ` (status)` for answers of 400 and above. */
  byEntitySet: Record<string, number>;
}

/** Requests per work order by service and entity set (`service/METHOD entitySet`). */
export function requestsPerWorkOrder(stats: Stats, workOrders: number): RequestsPerWorkOrder {
  const byEntitySet: Record<string, number> = {};
  const byService = { token: 0, dataverse: 0, finance: 0 } as Record<Service, number>;
  let total = 0;
  for (const service of SERVICES) {
    for (const row of stats[service].requests) {
      const key = `${service} ${row.method} ${row.entitySet}${row.status >= 400 ? ` (${row.status})` : ''}`;
      byEntitySet[key] = (byEntitySet[key] ?? 0) + row.count / workOrders;
      byService[service] += row.count / workOrders;
      if (service !== 'token') total += row.count / workOrders;
    }
  }
  return { total, byService, byEntitySet };
}

/** The sum of per-work-order figures (steps of one path). */
export function addRequests(parts: readonly RequestsPerWorkOrder[]): RequestsPerWorkOrder {
  const sum: RequestsPerWorkOrder = {
    total: 0,
    byService: { token: 0, dataverse: 0, finance: 0 },
    byEntitySet: {},
  };
  for (const part of parts) {
    sum.total += part.total;
    for (const service of SERVICES) sum.byService[service] += part.byService[service];
    for (const [key, count] of Object.entries(part.byEntitySet))
      sum.byEntitySet[key] = (sum.byEntitySet[key] ?? 0) + count;
  }
  return sum;
}

/**
 * `figures` less `baseline`, entity set by entity set, never below zero: what a step cost beyond what
 * the same step costs with nothing to do (e.g. a watcher run that finds no change).
 */
export function subtractRequests(
  figures: RequestsPerWorkOrder,
  baseline: RequestsPerWorkOrder,
): RequestsPerWorkOrder {
  const byEntitySet: Record<string, number> = {};
  const byService = { token: 0, dataverse: 0, finance: 0 } as Record<Service, number>;
  let total = 0;
  for (const [key, count] of Object.entries(figures.byEntitySet)) {
    const left = Math.max(0, count - (baseline.byEntitySet[key] ?? 0));
    if (left === 0) continue;
    byEntitySet[key] = left;
    const service = key.slice(0, key.indexOf(' ')) as Service;
    byService[service] += left;
    if (service !== 'token') total += left;
  }
  return { total, byService, byEntitySet };
}
