import { header, type SandboxRequest, type SandboxResponse } from '../http/types';
import { runBatch } from '../odata/batch';
import {
  BatchFormatError,
  boundaryOf,
  parseBatch,
  serializeBatchResponse,
  type BatchPart,
} from '../odata/multipart';
import { invalidQuery } from './errors';

export interface FinanceBatchOptions {
  serviceRoot: string;
  execute(request: SandboxRequest): Promise<SandboxResponse>;
  snapshot(): () => void;
}

/** `POST /data/$batch`: each change set is one transaction; the batch goes on after a failure and answers 200. */
export async function executeBatch(
  request: SandboxRequest,
  options: FinanceBatchOptions,
): Promise<SandboxResponse> {
  const boundary = boundaryOf(header(request, 'content-type'));
  if (!boundary) {
    return invalidQuery(
      "The batch request must have a 'Content-Type' header of 'multipart/mixed' with a boundary.",
    );
  }
  let parts: BatchPart[];
  try {
    parts = parseBatch(request.body.toString('utf8'), boundary);
  } catch (error) {
    if (error instanceof BatchFormatError) return invalidQuery(error.message);
    throw error;
  }
  const outcome = await runBatch(parts, {
    serviceRoot: options.serviceRoot,
    stopOnFirstFailure: false,
    snapshot: options.snapshot,
    execute: (inner) =>
      inner.url.pathname === '/data/$batch'
        ? Promise.resolve(invalidQuery('Nested batches are not supported.'))
        : options.execute({
            method: inner.method,
            url: inner.url,
            headers: inner.headers,
            body: Buffer.from(inner.body, 'utf8'),
          }),
    unknownReference: (reference) =>
      invalidQuery(`Content-ID reference '${reference}' does not exist in the change set.`),
  });
  const { contentType, body } = serializeBatchResponse(outcome.parts);
  return { status: 200, headers: { 'Content-Type': contentType, 'OData-Version': '4.0' }, body };
}
