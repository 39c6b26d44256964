import { errorFromNetworkFailure, errorFromResponse, parseRetryAfter } from '../../connectors/errors';

const failed = (service: 'dataverse' | 'finance', status: number, body: unknown, headers = {}) =>
  errorFromResponse({ service, operation: 'POST x', status, headers, body: JSON.stringify(body) });

describe('error classification', () => {
  it('treats 503, other 5xx and timeouts as retryable', () => {
    expect(failed('dataverse', 503, { error: { code: '', message: 'down' } })).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
    expect(failed('finance', 502, 'Bad gateway')).toMatchObject({ kind: 'server', retryable: true });
    const timeout = Object.assign(new Error("Timeout awaiting 'request' for 50ms"), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    expect(errorFromNetworkFailure('finance', 'GET x', timeout)).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
  });

  it('surfaces an F&O Infolog (500 AxODataWriteException) as a non-retryable business rule', () => {
    const error = failed('finance', 500, {
      error: {
        code: '',
        message: 'An error has occurred.',
        innererror: {
          message:
            "Write failed for table row of type 'CDSSalesOrderHeaders'. Infolog: Customer account US-999 does not exist.",
          type: 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException',
          stacktrace: '',
        },
      },
    });
    expect(error).toMatchObject({ kind: 'business-rule', retryable: false, status: 500 });
    expect(error.message).toContain('Customer account US-999 does not exist.');
  });

  it('surfaces a Dataverse plug-in error as a non-retryable business rule', () => {
    const error = failed('dataverse', 400, {
      error: {
        code: '0x80040265',
        message: 'Example Error Message.',
        '@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus': '1',
        '@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode': '12345',
      },
    });
    expect(error).toMatchObject({ kind: 'business-rule', retryable: false, code: '0x80040265' });
    expect(error.message).toBe('Dataverse POST x: Example Error Message. (HTTP 400, code 0x80040265)');
  });

  it('exposes Retry-After as a delay on a 503 as on a 429', () => {
    expect(
      failed(
        'dataverse',
        503,
        { error: { code: '', message: 'Service Unavailable' } },
        { 'retry-after': '30' },
      ),
    ).toMatchObject({ kind: 'unavailable', retryable: true, retryAfterMs: 30_000 });
  });

  it('classifies 412 and a 401 (what the transport reports after its one refresh) as non-retryable', () => {
    expect(
      failed('dataverse', 412, {
        error: {
          code: '',
          message: "The version of the existing record doesn't match the RowVersion property provided.",
        },
      }),
    ).toMatchObject({ kind: 'precondition-failed', retryable: false });
    expect(failed('finance', 401, '')).toMatchObject({ kind: 'authentication', retryable: false });
  });

  it('classifies 400, 404 and 409 as non-retryable', () => {
    expect(
      failed('dataverse', 400, { error: { code: '0x0', message: 'Could not find a property' } }),
    ).toMatchObject({
      kind: 'bad-request',
      retryable: false,
    });
    expect(
      failed('dataverse', 404, { error: { code: '0x80060888', message: 'Resource not found' } }).kind,
    ).toBe('not-found');
    expect(failed('finance', 409, { error: { code: '', message: 'Conflict' } }).kind).toBe('conflict');
  });

  it('shows a short plain-text body, but not an HTML page', () => {
    const text = errorFromResponse({
      service: 'finance',
      operation: 'GET x',
      status: 429,
      headers: { 'retry-after': '12' },
      body: 'Too many requests',
    });
    expect(text).toMatchObject({ kind: 'throttled', retryAfterMs: 12_000 });
    expect(text.message).toBe('Finance and Operations GET x: Too many requests (HTTP 429, retry after 12s)');
    const html = errorFromResponse({
      service: 'dataverse',
      operation: 'GET x',
      status: 502,
      headers: {},
      body: '<html><body>Bad Gateway</body></html>',
    });
    expect(html.message).toBe('Dataverse GET x: no error message in the response (HTTP 502)');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('5')).toBe(5000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
