export interface RequestStatsReport {
  total: number;
  byMethod: Record<string, number>;
  byEntitySet: Record<string, number>;
  byStatus: Record<string, number>;
  /** One row per method, entity set and status. */
  requests: { method: string; entitySet: string; status: number; count: number }[];
}

/** Counts API requests (not control requests) by method, entity set and status. */
export class RequestStats {
  private counts = new Map<string, number>();

  record(method: string, entitySet: string, status: number): void {
    const key = JSON.stringify([method, entitySet, status]);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  reset(): void {
    this.counts.clear();
  }

  report(): RequestStatsReport {
    const report: RequestStatsReport = {
      total: 0,
      byMethod: {},
      byEntitySet: {},
      byStatus: {},
      requests: [],
    };
    for (const [key, count] of this.counts) {
      const [method, entitySet, status] = JSON.parse(key) as [string, string, number];
      report.total += count;
      report.byMethod[method] = (report.byMethod[method] ?? 0) + count;
      report.byEntitySet[entitySet] = (report.byEntitySet[entitySet] ?? 0) + count;
      report.byStatus[status] = (report.byStatus[status] ?? 0) + count;
      report.requests.push({ method, entitySet, status, count });
    }
    return report;
  }
}
