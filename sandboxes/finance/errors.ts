import { jsonResponse } from '../http/json';
import type { SandboxResponse } from '../http/types';
import type { ThrottleCause } from '../platform/throttle-cause';

const stacktrace =
  '   at Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataDelegatingHandler.SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)';

/** The F&O OData error envelope: empty `code`, a generic `message`, the details in `innererror`. */
export function financeError(
  status: number,
  message: string,
  inner?: { message: string; type: string },
  headers: Record<string, string> = {},
): SandboxResponse {
  const error: Record<string, unknown> = { code: '', message };
  if (inner) error.innererror = { ...inner, stacktrace };
  return jsonResponse(status, { error }, { 'OData-Version': '4.0', ...headers });
}

/** A write refused by X++ validation; the Infolog text names the data entity. */
export const writeFailed = (tableType: string, infolog: string) =>
  financeError(400, 'An error has occurred.', {
    message: `Write failed for table row of type '${tableType}'. Infolog: Error: ${infolog}`,
    type: 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException',
  });

export const invalidQuery = (detail: string) =>
  financeError(400, `The query specified in the URI is not valid. ${detail}`, {
    message: `The query specified in the URI is not valid. ${detail}`,
    type: 'Microsoft.OData.ODataException',
  });

export const invalidPayload = (detail: string) =>
  financeError(400, 'An error has occurred.', { message: detail, type: 'Microsoft.OData.ODataException' });

export const noResource = (url: string) =>
  financeError(404, `No HTTP resource was found that matches the request URI '${url}'.`);

export const recordNotFound = (entity: string) =>
  financeError(404, 'An error has occurred.', {
    message: `No record of '${entity}' matches the key values.`,
    type: 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataResourceNotFoundException',
  });

export const methodNotAllowed = (method: string, entity: string) =>
  financeError(405, `The requested resource does not support http method '${method}'.`, {
    message: `Entity '${entity}' does not support ${method}.`,
    type: 'System.Web.Http.HttpResponseException',
  });

export const preconditionFailed = () =>
  financeError(412, 'An error has occurred.', {
    message: 'The record has been changed by another user since it was read. The ETag does not match.',
    type: 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataConcurrencyException',
  });

/** 429 with `Retry-After`; F&O's body is undocumented, so the envelope carries the documented limit message. */
export function tooManyRequests(retryAfterSeconds: number, cause: ThrottleCause): SandboxResponse {
  return financeError(429, limitMessage(cause), undefined, { 'Retry-After': String(retryAfterSeconds) });
}

function limitMessage(cause: ThrottleCause): string {
  switch (cause.kind) {
    case 'requests':
      return `Number of requests exeeded the limit of ${cause.maxRequests} over the time window of ${cause.windowSeconds} seconds.`;
    case 'concurrency':
      return `Number of concurrent requests exceeded the limit of ${cause.limit}.`;
    case 'load':
      return 'This request could not be processed at this time due to system experiencing high resource utilization.';
  }
}

export const serviceUnavailable = () => financeError(503, 'Service Unavailable');
