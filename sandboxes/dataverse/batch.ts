import type { SandboxRequest, SandboxResponse } from '../http/types';
import { header } from '../http/types';
import { runBatch, type InnerRequest } from '../odata/batch';
import {
  BatchFormatError,
  boundaryOf,
  parseBatch,
  serializeBatchResponse,
  type BatchPart,
} from '../odata/multipart';
import type { Preferences } from '../odata/prefer';
import { dataverseError } from './errors';

const maxOperations = 1000;

export interface DataverseBatchOptions {
  serviceRoot: string;
  preferences: Preferences;
  execute(request: SandboxRequest): Promise<SandboxResponse>;
  snapshot(): () => void;
}

/** `POST $batch`: multipart/mixed; change sets are atomic; the first failure stops the batch unless `odata.continue-on-error`. */
export async function executeBatch(
  request: SandboxRequest,
  options: DataverseBatchOptions,
): Promise<SandboxResponse> {
  const boundary = boundaryOf(header(request, 'content-type'));
  if (!boundary) {
    return dataverseError(
      400,
      '0x80048d19',
      "The batch request must have a 'Content-Type' header of 'multipart/mixed' with a boundary.",
    );
  }
  let parts: BatchPart[];
  try {
    parts = parseBatch(request.body.toString('utf8'), boundary);
  } catch (error) {
    if (error instanceof BatchFormatError) return dataverseError(400, '0x80048d19', error.message);
    throw error;
  }
  const operations = parts.flatMap((part) =>
    part.kind === 'operation' ? [part.operation] : part.operations,
  );
  if (operations.length > maxOperations) {
    return dataverseError(
      400,
      '0x8005f103',
      `The number of requests in the batch exceeds the maximum of ${maxOperations}.`,
    );
  }
  for (const part of parts) {
    if (part.kind === 'changeset' && part.operations.some((operation) => operation.method === 'GET')) {
      return dataverseError(400, '0x80048d19', 'GET requests are not allowed inside a change set.');
    }
  }
  const outcome = await runBatch(parts, {
    serviceRoot: options.serviceRoot,
    stopOnFirstFailure: !options.preferences.continueOnError,
    snapshot: options.snapshot,
    execute: (inner) => options.execute(toSandboxRequest(inner)),
    unknownReference: (reference) =>
      dataverseError(
        400,
        '0x80060888',
        `Content-ID Reference: '${reference}' does not exist in the batch context.`,
      ),
  });
  const { contentType, body } = serializeBatchResponse(outcome.parts);
  const headers: Record<string, string> = { 'Content-Type': contentType, 'OData-Version': '4.0' };
  if (options.preferences.continueOnError) headers['Preference-Applied'] = 'odata.continue-on-error';
  return { status: outcome.stoppedWith ?? 200, headers, body };
}

function toSandboxRequest(inner: InnerRequest): SandboxRequest {
  return {
    method: inner.method,
    url: inner.url,
    headers: inner.headers,
    body: Buffer.from(inner.body, 'utf8'),
  };
}
