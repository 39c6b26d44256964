import { errorFromResponse } from '../errors';
import type { ODataTransport } from '../http/odata-transport';
import { buildBatchRequest, type ChangeSet } from './batch-request';
import { parseBatchResponse, type BatchPartResponse } from './batch-response';
import { invalidResponse } from './parse';

/**
 * Sends change sets as one `$batch` and returns every inner response. If any operation failed, its
 * change set was rolled back by the service, and this throws that operation's error.
 */
export async function executeBatch(
  transport: ODataTransport,
  changeSets: readonly ChangeSet[],
  headers: Record<string, string> = {},
): Promise<BatchPartResponse[]> {
  const request = buildBatchRequest(transport.serviceRoot, changeSets);
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
  let parts: BatchPartResponse[];
  try {
    parts = parseBatchResponse(contentType, response.body);
  } catch (error) {
    throw invalidResponse(transport.service, response.operation, (error as Error).message);
  }
  const failed = parts.find((part) => part.status >= 400);
  if (failed) {
    const operation = failed.contentId ? request.operations.get(failed.contentId) : undefined;
    const failedOperation = operation
      ? `, operation ${failed.contentId}: ${operation.method} ${operation.path}`
      : '';
    throw errorFromResponse({
      service: transport.service,
      operation: `$batch (change set rolled back${failedOperation})`,
      status: failed.status,
      headers: failed.headers,
      body: failed.body,
    });
  }
  return parts;
}
