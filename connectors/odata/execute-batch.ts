import type { D365Error } from '../errors/d365-error';
import { errorFromResponse } from '../errors';
import type { ODataTransport } from '../http/odata-transport';
import { type BatchRequest, buildBatchRequest, type ChangeSet } from './batch-request';
import { parseBatchResponse, type BatchPartResponse } from './batch-response';
import { invalidResponse } from './parse';

/**
 * Sends change sets as one `$batch` and returns every inner response. If any operation failed, its
 * change set was rolled back by the service, and this throws that operation's error.
 */
async function sendBatch(
  transport: ODataTransport,
  changeSets: readonly ChangeSet[],
  headers: Record<string, string>,
  reads: readonly string[] = [],
): Promise<{ request: BatchRequest; parts: BatchPartResponse[] }> {
  const request = buildBatchRequest(transport.serviceRoot, changeSets, reads);
  const response = await transport.exchange({
    method: 'POST',
    path: '$batch',
    headers: { ...headers, 'content-type': request.contentType },
    body: request.body,
  });
  const contentType = String(response.headers['content-type'] ?? '');
  if (!/^multipart\/mixed/i.test(contentType)) {
    if (response.status >= 400) throw errorFromResponse({ service: transport.service, ...response });
    throw invalidResponse(
      transport.service,
      response.operation,
      `expected a multipart response, got ${contentType}`,
    );
  }
  try {
    return { request, parts: parseBatchResponse(contentType, response.body) };
  } catch (error) {
    throw invalidResponse(transport.service, response.operation, (error as Error).message);
  }
}

function partError(service: ODataTransport['service'], request: BatchRequest, failed: BatchPartResponse) {
  const operation = failed.contentId ? request.operations.get(failed.contentId) : undefined;
  const failedOperation = operation
    ? `, operation ${failed.contentId}: ${operation.method} ${operation.path}`
    : '';
  return errorFromResponse({
    service,
    operation: `$batch (change set rolled back${failedOperation})`,
    status: failed.status,
    headers: failed.headers,
    body: failed.body,
  });
}

/**
 * Sends change sets as one `$batch` and returns every inner response. If any operation failed, its
 * change set was rolled back by the service, and this throws that operation's error.
 */
export async function executeBatch(
  transport: ODataTransport,
  changeSets: readonly ChangeSet[],
  headers: Record<string, string> = {},
): Promise<BatchPartResponse[]> {
  const { request, parts } = await sendBatch(transport, changeSets, headers);
  const failed = parts.find((part) => part.status >= 400);
  if (failed) throw partError(transport.service, request, failed);
  return parts;
}

/**
 * Sends change sets, then GETs of `reads` outside them, as one `$batch`, so the reads see what the
 * change sets wrote. A failed change set or read is thrown as by `executeBatch`; otherwise the reads'
 * responses, in order (they are the batch's last parts).
 */
export async function executeBatchThenRead(
  transport: ODataTransport,
  changeSets: readonly ChangeSet[],
  reads: readonly string[],
  headers: Record<string, string> = {},
): Promise<BatchPartResponse[]> {
  const { request, parts } = await sendBatch(transport, changeSets, headers, reads);
  const failed = parts.find((part) => part.status >= 400);
  // Change set operations carry Content-IDs, the reads none: a failure without one is a read's.
  if (failed?.contentId !== undefined) throw partError(transport.service, request, failed);
  if (failed) {
    throw errorFromResponse({
      service: transport.service,
      operation: `$batch (GET after the change sets)`,
      status: failed.status,
      headers: failed.headers,
      body: failed.body,
    });
  }
  if (parts.length < reads.length) {
    throw invalidResponse(transport.service, 'POST $batch', `expected ${reads.length} read responses`);
  }
  return parts.slice(parts.length - reads.length);
}

export type ChangeSetOutcome = { ok: true; responses: BatchPartResponse[] } | { ok: false; error: D365Error };

/**
 * Sends change sets as one `$batch` that goes on after a failure (`Prefer: odata.continue-on-error`)
 * and returns each change set's outcome, in order: one record the service refuses does not hold back
 * the others. A retryable failure (throttling, 5xx) anywhere is thrown instead, since the whole batch
 * is then worth sending again.
 */
export async function executeBatchSettled(
  transport: ODataTransport,
  changeSets: readonly ChangeSet[],
  headers: Record<string, string> = {},
): Promise<ChangeSetOutcome[]> {
  const prefer = [headers.prefer, 'odata.continue-on-error'].filter(Boolean).join(',');
  const { request, parts } = await sendBatch(transport, changeSets, { ...headers, prefer });
  // Content-IDs count from 1 across the batch, in change set order.
  const changeSetOf = new Map<string, number>();
  changeSets.forEach((changeSet, index) => {
    for (let i = 0; i < changeSet.length; i++) changeSetOf.set(String(changeSetOf.size + 1), index);
  });
  const responses: BatchPartResponse[][] = changeSets.map(() => []);
  const errors: (D365Error | undefined)[] = changeSets.map(() => undefined);
  for (const part of parts) {
    const index = part.contentId === undefined ? undefined : changeSetOf.get(part.contentId);
    if (index === undefined) {
      throw invalidResponse(transport.service, 'POST $batch', `a response without a known Content-ID`);
    }
    if (part.status < 400) responses[index]!.push(part);
    else {
      const error = partError(transport.service, request, part);
      if (error.retryable) throw error;
      errors[index] = error;
    }
  }
  return changeSets.map((_, index) =>
    errors[index] ? { ok: false, error: errors[index] } : { ok: true, responses: responses[index]! },
  );
}
