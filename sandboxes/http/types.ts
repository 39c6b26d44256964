import type { IncomingHttpHeaders } from 'node:http';

/** A request as the sandboxes see it: URL already parsed, body fully read. */
export interface SandboxRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The work is done (committed) but the client never hears back: the socket is destroyed instead. */
  dropConnection?: boolean;
}

export type RequestHandler = (request: SandboxRequest) => Promise<SandboxResponse>;

export function header(request: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
