/** Workers' operations: the server's own per-namespace workers make them too, whoever else is connected. */
const WORKER_OPERATION = /^(Poll|Respond|RecordWorkerHeartbeat|RecordActivityTaskHeartbeat|ShutdownWorker)/;

/**
 * Requests clients have made of the Temporal server's frontend so far, by operation (e.g.
 * `ListWorkflowExecutions`), from its Prometheus metrics (`service_requests`); workers' polls left out.
 */
export async function frontendRequests(metricsUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const metric = /^service_requests\{([^}]*)\} (\S+)$/.exec(line);
    if (!metric || !metric[1]!.includes('service_name="frontend"')) continue;
    const operation = /operation="([^"]+)"/.exec(metric[1]!)?.[1] ?? 'unknown';
    if (WORKER_OPERATION.test(operation)) continue;
    counts[operation] = (counts[operation] ?? 0) + Number(metric[2]);
  }
  return counts;
}

/** The requests of `after` not yet in `before`, by operation; operations with none left out. */
export function requestsBetween(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([operation, count]) => [operation, count - (before[operation] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );
}
