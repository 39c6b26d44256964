import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../http/types';

export interface BatchOperation {
  contentId?: string;
  method: string;
  target: string;
  headers: Record<string, string>;
  body: string;
}

export type BatchPart =
  { kind: 'operation'; operation: BatchOperation } | { kind: 'changeset'; operations: BatchOperation[] };

export interface OperationResult {
  contentId?: string;
  response: SandboxResponse;
}

export type BatchResultPart =
  { kind: 'operation'; result: OperationResult } | { kind: 'changeset'; results: OperationResult[] };

export class BatchFormatError extends Error {}

/** The boundary of a `multipart/mixed` content type, or `undefined`. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /^\s*multipart\/mixed\s*;.*boundary=("([^"]+)"|[^;\s]+)/i.exec(contentType ?? '');
  return match ? (match[2] ?? match[1]) : undefined;
}

/** Parses a `$batch` body; line ends may be CRLF or LF. */
export function parseBatch(body: string, boundary: string): BatchPart[] {
  return splitParts(body, boundary).map((part) => {
    const { headers, content } = splitHeaders(part);
    const partBoundary = boundaryOf(headers['content-type']);
    if (partBoundary) {
      return {
        kind: 'changeset',
        operations: splitParts(content, partBoundary).map((inner) => {
          const parsed = splitHeaders(inner);
          return parseOperation(parsed.content, parsed.headers['content-id']);
        }),
      };
    }
    return { kind: 'operation', operation: parseOperation(content, headers['content-id']) };
  });
}

function splitParts(body: string, boundary: string): string[] {
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | undefined;
  let closed = false;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) {
      if (current) parts.push(current.join('\n'));
      closed = true;
      break;
    }
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current.join('\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (!closed) throw new BatchFormatError(`The batch is missing its closing boundary '--${boundary}--'.`);
  return parts;
}

function splitHeaders(part: string): { headers: Record<string, string>; content: string } {
  const lines = part.split('\n');
  const headers: Record<string, string> = {};
  let index = 0;
  while (index < lines.length && lines[index].trim() !== '') {
    const colon = lines[index].indexOf(':');
    if (colon > 0)
      headers[lines[index].slice(0, colon).trim().toLowerCase()] = lines[index].slice(colon + 1).trim();
    index++;
  }
  return { headers, content: lines.slice(index + 1).join('\n') };
}

function parseOperation(content: string, partContentId: string | undefined): BatchOperation {
  const lines = content.replace(/^\s*\n/, '').split('\n');
  const requestLine = /^([A-Z]+)\s+(\S+)(\s+HTTP\/1\.[01])?\s*$/.exec(lines[0] ?? '');
  if (!requestLine)
    throw new BatchFormatError(`The request line '${lines[0] ?? ''}' of a batch operation is not valid.`);
  const { headers, content: body } = splitHeaders(lines.slice(1).join('\n'));
  return {
    contentId: partContentId ?? headers['content-id'],
    method: requestLine[1],
    target: requestLine[2],
    headers,
    body: body.trim(),
  };
}

const reasonPhrases: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Writes the multipart body of a `$batch` response (CRLF line ends). */
export function serializeBatchResponse(parts: BatchResultPart[]): { contentType: string; body: string } {
  const boundary = `batchresponse_${randomUUID()}`;
  const lines: string[] = [];
  for (const part of parts) {
    lines.push(`--${boundary}`);
    if (part.kind === 'operation') {
      lines.push(...serializeResult(part.result));
      continue;
    }
    const changeset = `changesetresponse_${randomUUID()}`;
    lines.push(`Content-Type: multipart/mixed; boundary=${changeset}`, '');
    for (const result of part.results) {
      lines.push(`--${changeset}`, ...serializeResult(result));
    }
    lines.push(`--${changeset}--`);
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join('\r\n') };
}

function serializeResult({ contentId, response }: OperationResult): string[] {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) lines.push(`Content-ID: ${contentId}`);
  lines.push('', `HTTP/1.1 ${response.status} ${reasonPhrases[response.status] ?? 'Unknown'}`);
  for (const [name, value] of Object.entries(response.headers ?? {})) lines.push(`${name}: ${value}`);
  lines.push('');
  const body = response.body?.toString() ?? '';
  if (body !== '') lines.push(body);
  return lines;
}
