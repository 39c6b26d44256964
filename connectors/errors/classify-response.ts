import { D365Error, type D365ErrorKind, type D365Service } from './d365-error';
import { parseODataErrorBody, type ODataErrorInfo } from './odata-error-body';
import { parseRetryAfter } from './retry-after';

export interface FailedResponse {
  service: Exclude<D365Service, 'entra'>;
  operation: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Dataverse: a plug-in or real-time workflow cancelled the operation (`IsvAborted`). */
const DATAVERSE_ISV_ABORTED = '0x80040265';

/** F&O wraps validation failures of its X++ business logic (the Infolog) in these exception types. */
const FINANCE_BUSINESS_EXCEPTION = /AxODataWriteException|XppException|ValidateException/i;

/** Turns a non-2xx response into the one error type, classified as the issue describes. */
export function errorFromResponse(response: FailedResponse): D365Error {
  const info = parseODataErrorBody(response.body);
  const kind = classify(response.service, response.status, info);
  return new D365Error({
    service: response.service,
    kind,
    operation: response.operation,
    serviceMessage: readableMessage(response, kind, info),
    status: response.status,
    code: info?.code,
    requestId: requestIdOf(response.headers),
    retryAfterMs: parseRetryAfter(firstHeader(response.headers['retry-after'])),
  });
}

function classify(service: FailedResponse['service'], status: number, info?: ODataErrorInfo): D365ErrorKind {
  if (status === 429) return 'throttled';
  if (status === 503) return 'unavailable';
  if (status === 408 || status === 504) return 'timeout';
  // F&O reports refused X++ validation with 400 or 500, depending on the path it took.
  if (service === 'finance' && FINANCE_BUSINESS_EXCEPTION.test(info?.innerType ?? '')) return 'business-rule';
  if (status >= 500) return 'server';
  if (status === 401) return 'authentication';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'precondition-failed';
  if (service === 'dataverse' && (info?.raisedByPlugin || info?.code === DATAVERSE_ISV_ABORTED)) {
    return 'business-rule';
  }
  return 'bad-request';
}

const HINTS: Partial<Record<D365ErrorKind, string>> = {
  'precondition-failed':
    'the record changed since it was read, or already exists; read it again before writing',
  authentication:
    'the access token was refused even after a refresh; check the app registration and its application user',
  forbidden: "the application user's security roles do not allow this",
};

/** Bodies that are neither JSON nor HTML (a proxy's or gateway's text) are shown when short. */
const MAX_PLAIN_TEXT = 300;

function readableMessage(response: FailedResponse, kind: D365ErrorKind, info?: ODataErrorInfo): string {
  const plainText = response.body.trim();
  const serviceText =
    // F&O's outer message is mostly a generic "An error has occurred."; the Infolog is in innererror.
    (response.service === 'finance' && info?.innerMessage) ||
    info?.message ||
    (plainText && !plainText.startsWith('<') && plainText.length <= MAX_PLAIN_TEXT ? plainText : undefined) ||
    'no error message in the response';
  const hint = HINTS[kind];
  return hint ? `${serviceText} (${hint})` : serviceText;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Dataverse sends `REQ_ID` and `x-ms-service-request-id` (sometimes twice, which Node joins). */
export function requestIdOf(headers: FailedResponse['headers']): string | undefined {
  for (const name of ['req_id', 'x-ms-service-request-id', 'request-id', 'x-ms-request-id', 'ms-dyn-aid']) {
    const value = firstHeader(headers[name]);
    if (value) return value.split(',')[0]?.trim();
  }
  return undefined;
}
