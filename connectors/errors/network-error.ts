import { D365Error, type D365Service } from './d365-error';

/**
 * A request that got no HTTP answer (connection refused or reset, DNS, timeout). Only the error's
 * code and message are kept: got's errors hold the request options, headers included.
 */
export function errorFromNetworkFailure(service: D365Service, operation: string, error: unknown): D365Error {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  const name = error instanceof Error ? error.name : '';
  const timedOut = name === 'TimeoutError' || code === 'ETIMEDOUT';
  return new D365Error({
    service,
    kind: timedOut ? 'timeout' : 'network',
    operation,
    serviceMessage: error instanceof Error ? error.message : String(error),
    code,
  });
}
