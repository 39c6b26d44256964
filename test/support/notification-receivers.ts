import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An incoming-webhook receiver: every JSON body POSTed to it, in order. */
export interface WebhookReceiver {
  url: string;
  bodies: unknown[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const bodies: unknown[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(200, { 'content-type': 'text/plain' }).end('1');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhookb2/secret-part`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An SMTP server's mailbox: each message accepted (`250` after DATA), raw, with its headers. */
export interface SmtpReceiver {
  url: string;
  messages: string[];
  /** Resolves when a client has sent MAIL FROM on a transaction the receiver holds (see `holdFirst`). */
  held: Promise<void>;
  close(): Promise<void>;
}

/**
 * A local SMTP server (no TLS, any login). With `holdFirst`, the first transaction's MAIL FROM is never
 * answered: the sender waits, as on a slow server, until its connection goes away.
 */
export async function startSmtpReceiver({ holdFirst = false } = {}): Promise<SmtpReceiver> {
  const messages: string[] = [];
  let holding = holdFirst;
  let markHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!holding) return callback();
      holding = false;
      markHeld();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    held,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A header of a raw message (unfolded), e.g. `Message-ID`. */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
