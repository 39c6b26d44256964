import type { SandboxResponse } from './types';

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** Parses a JSON body; `undefined` when it is not valid JSON. */
export function parseJson(body: Buffer | string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    return undefined;
  }
}
