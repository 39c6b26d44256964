import { jsonResponse } from '../http/json';
import type { SandboxResponse } from '../http/types';
import type { ThrottleCause } from '../platform/throttle-cause';

/** The Dataverse Web API error envelope: `{"error":{"code":"0x...","message":"..."}}`. */
export function dataverseError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return jsonResponse(status, { error: { code, message } }, { 'OData-Version': '4.0', ...headers });
}

export const resourceNotFound = (segment: string) =>
  dataverseError(404, '0x80060888', `Resource not found for the segment '${segment}'.`);

export const recordNotFound = (logicalName: string, id: string) =>
  dataverseError(404, '0x80040217', `Entity '${logicalName}' With Id = ${id} Does Not Exist`);

export const keyNotFound = (logicalName: string) =>
  dataverseError(
    404,
    '0x80040217',
    `A record with the specified key values does not exist in ${logicalName} entity`,
  );

export const invalidQuery = (message: string) => dataverseError(400, '0x80060888', message);

export const invalidPayload = (logicalName: string, detail: string) =>
  dataverseError(
    400,
    '0x80048d19',
    `Error identified in Payload provided by the user for Entity :'${logicalName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ${detail}`,
  );

export const unknownProperty = (logicalName: string, property: string) =>
  invalidPayload(
    logicalName,
    `The property '${property}' does not exist on type 'Microsoft.Dynamics.CRM.${logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );

export const versionMismatch = () =>
  dataverseError(
    412,
    '0x80060882',
    "The version of the existing record doesn't match the RowVersion property provided.",
  );

export const recordExists = () =>
  dataverseError(412, '0x80040237', 'A record with matching key values already exists.');

export const duplicateKey = (logicalName: string, attributes: string[]) =>
  dataverseError(
    412,
    '0x80040237',
    `A record that has the attribute values ${attributes.join(', ')} already exists. The entity key for ${logicalName} requires that this set of attributes contains unique values. Select unique values and try again.`,
  );

export const methodNotAllowed = (method: string) =>
  dataverseError(405, '0x80060888', `The requested resource does not support http method '${method}'.`);

/** Service protection: 429 with `Retry-After` and the documented code and message of the limit hit. */
export function serviceProtectionLimit(retryAfterSeconds: number, cause: ThrottleCause): SandboxResponse {
  const [code, message] = limitMessage(cause);
  return dataverseError(429, code, message, { 'Retry-After': String(retryAfterSeconds) });
}

function limitMessage(cause: ThrottleCause): [string, string] {
  switch (cause.kind) {
    case 'requests':
      return [
        '0x80072322',
        `Number of requests exceeded the limit of ${cause.maxRequests} over time window of ${cause.windowSeconds} seconds.`,
      ];
    case 'concurrency':
      return ['0x80072326', `Number of concurrent requests exceeded the limit of ${cause.limit}.`];
    case 'load':
      return [
        '0x80072321',
        'Combined execution time of incoming requests exceeded limit of 1,200,000  milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
      ];
  }
}

export const unexpectedError = () => dataverseError(503, '0x80040216', 'An unexpected error occurred.');

/** A synchronous webhook step's endpoint failed: the write is rolled back, as a failing plug-in's is. */
export const synchronousStepFailed = (failure: { stepName: string; url: string; outcome: number | string }) =>
  dataverseError(
    400,
    '0x80040265',
    `The step '${failure.stepName}' failed: the webhook ${failure.url} answered ${String(failure.outcome)}. The operation was rolled back.`,
  );
