import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from '@temporalio/client';

type Failure = { retry: string } | { refused: string };
/** The address answers at the transport level (TCP, and TLS when configured): gRPC may be tried. */
type Open = { open: true };

const TLS_SETTINGS = 'TEMPORAL_TLS, the TEMPORAL_TLS_* certificate settings and TEMPORAL_API_KEY';

function hostAndPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return {
    host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
    port: Number(address.slice(colon + 1)),
  };
}

const asBuffer = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes) : undefined);

/** The client speaks TLS when told to, or when it sends an API key without saying (the SDK's rule). */
function tlsOf(options: ConnectionOptions) {
  const tls = options.tls ?? (options.apiKey ? true : undefined);
  return tls ? (tls === true ? {} : tls) : undefined;
}

/**
 * A TCP connection (a TLS handshake when TLS is configured) to Temporal's address, before gRPC: the client's
 * gRPC connection retries a refused connection until its deadline and then says only "Failed to connect
 * before the deadline", where this tells a refused connection, an unknown host or a TLS failure (refused at
 * once) apart, at once.
 */
export function probeTemporal(
  options: ConnectionOptions & { address: string },
  timeoutMs: number,
): Promise<Failure | Open> {
  const { host, port } = hostAndPort(options.address);
  const tls = tlsOf(options);
  return new Promise((resolve) => {
    let socket: Socket;
    const done = (outcome: Failure | Open) => {
      socket.destroy();
      resolve(outcome);
    };
    if (tls) {
      socket = tlsConnect({
        host,
        port,
        servername: tls.serverNameOverride ?? (/^[\d.:]+$/.test(host) ? undefined : host),
        ca: asBuffer(tls.serverRootCACertificate),
        cert: asBuffer(tls.clientCertPair?.crt),
        key: asBuffer(tls.clientCertPair?.key),
        ALPNProtocols: ['h2'],
      });
      socket.once('secureConnect', () => done({ open: true }));
    } else {
      socket = tcpConnect({ host, port });
      socket.once('connect', () => done({ open: true }));
    }
    socket.setTimeout(timeoutMs, () => done({ retry: 'no answer (timed out)' }));
    socket.once('error', (err: NodeJS.ErrnoException) => done(socketFailure(err)));
  });
}

/** What the client's gRPC connection failing after an open probe means. */
export function noGrpcAnswer(options: ConnectionOptions): Failure {
  return {
    retry: tlsOf(options)
      ? 'the server completes the TLS handshake but does not answer gRPC yet'
      : `the server accepts connections but does not answer gRPC yet (if it expects TLS, check ${TLS_SETTINGS})`,
  };
}

function socketFailure(err: NodeJS.ErrnoException & { reason?: string }): Failure {
  switch (err.code) {
    case 'ECONNREFUSED':
      return { retry: 'connection refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { retry: 'host not found (DNS)' };
    case 'ETIMEDOUT':
      return { retry: 'no answer (timed out)' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { retry: 'host unreachable' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { retry: `the connection was closed (${err.code})` };
  }
  if (/SSL|TLS|CERT|EPROTO/i.test(`${err.code ?? ''} ${err.message}`)) {
    const reason = err.reason ?? err.message.split('\n')[0];
    return { refused: `the TLS handshake failed (${reason}): check ${TLS_SETTINGS}` };
  }
  return { retry: err.message };
}
