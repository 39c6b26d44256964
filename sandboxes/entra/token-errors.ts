import { randomUUID } from 'node:crypto';
import { jsonResponse } from '../http/json';
import type { SandboxResponse } from '../http/types';

/** An Entra ID error body: `error`, `error_description` with trace lines, `error_codes`, `timestamp`, ids. */
export function entraError(
  status: number,
  error: string,
  code: number,
  message: string,
  correlationId: string = randomUUID(),
): SandboxResponse {
  const traceId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return jsonResponse(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
    {
      'Cache-Control': 'no-store, no-cache',
      Pragma: 'no-cache',
      'Content-Type': 'application/json; charset=utf-8',
    },
  );
}
