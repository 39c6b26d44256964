import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler, SandboxResponse } from './types';

const maxBodyBytes = 32 * 1024 * 1024;

export interface ListeningServer {
  url: string;
  close(): Promise<void>;
}

/** Where a server listens, and the host name its URL carries. */
export interface ListenAddress {
  /** 127.0.0.1 by default; 0.0.0.0 inside a container whose ports are published. */
  bindHost?: string;
  /** 127.0.0.1 by default; the name other containers reach it by (e.g. `sandboxes` in compose). */
  publicHost?: string;
}

/**
 * Serves `handler` on `bindHost`; its URL is `http://<publicHost>:<port>`. A thrown handler error becomes a
 * 500, never a crash or a hang.
 */
export async function listen(
  handler: RequestHandler,
  port: number,
  onUnexpectedError: (error: unknown) => SandboxResponse,
  { bindHost = '127.0.0.1', publicHost = '127.0.0.1' }: ListenAddress = {},
): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    void serve(handler, onUnexpectedError, req, res);
  });
  server.keepAliveTimeout = 5_000;
  // A client that stops sending halfway gets 408 instead of holding the request open.
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { url: `http://${publicHost}:${address.port}`, close: () => closeServer(server) };
}

async function serve(
  handler: RequestHandler,
  onUnexpectedError: (error: unknown) => SandboxResponse,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let response: SandboxResponse;
  try {
    const body = await readBody(req);
    if (body === undefined) {
      response = { status: 413, headers: { 'Content-Type': 'text/plain' }, body: 'Request body too large' };
    } else {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      response = await handler({ method: req.method ?? 'GET', url, headers: req.headers, body });
    }
  } catch (error) {
    response = onUnexpectedError(error);
  }
  if (response.dropConnection) {
    req.socket.destroy();
    return;
  }
  writeResponse(res, response);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBodyBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  if (res.headersSent || res.destroyed) return;
  const body = response.body ?? '';
  res.writeHead(response.status, {
    ...response.headers,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
