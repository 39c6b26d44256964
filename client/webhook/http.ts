import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';

/** Far above any webhook body Dataverse or F&O sends; anything larger is refused unread. */
const MAX_BODY_BYTES = 1024 * 1024;

/** An answer that ends the request: its status and a message for the sender. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** For a 503: when the sender may try again (the `Retry-After` header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  // A `\uD800` escape parses, but no URL, Dataverse filter or Temporal payload can carry it: refused, not retried.
  if (holdsLoneSurrogate(body)) {
    throw new HttpError(400, 'the body holds a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair)');
  }
  return body;
}

/** In a `u` regular expression a surrogate pair is one code point: only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;

function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, item]) => LONE_SURROGATE.test(key) || holdsLoneSurrogate(item));
}

/** Refuses (415) a body that is not `application/json`: a web page can post `text/plain` without a preflight. */
export function requireJsonContent(request: IncomingMessage): void {
  const [mediaType = '', ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((p) => p.startsWith('charset='));
  const acceptedCharset = charset === undefined || ['charset=utf-8', 'charset="utf-8"'].includes(charset);
  if (mediaType.trim().toLowerCase() !== 'application/json' || !acceptedCharset) {
    throw new HttpError(415, 'the body must be sent as Content-Type: application/json (UTF-8)');
  }
}

/** The body as the schema says, or a 400 naming every problem. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, z.prettifyError(parsed.error));
  return parsed.data;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
