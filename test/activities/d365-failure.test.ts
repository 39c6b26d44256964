import { ApplicationFailure } from '@temporalio/common';
import { rethrowAsD365Failure, toApplicationFailure } from '../../activities/d365-failure';
import { D365Error, errorFromResponse } from '../../connectors/errors';

describe('toApplicationFailure', () => {
  it('keeps a 429 retryable and turns Retry-After into nextRetryDelay', () => {
    const error = errorFromResponse({
      service: 'dataverse',
      operation: 'GET msdyn_workorders',
      status: 429,
      headers: { 'retry-after': '17', req_id: 'abc-123' },
      body: JSON.stringify({
        error: {
          code: '0x80072322',
          message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
        },
      }),
    });
    const failure = toApplicationFailure(error);
    expect(failure.type).toBe('D365Throttled');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(17_000);
    expect(failure.message).toContain('Number of requests exceeded');
    expect(failure.details).toEqual([
      expect.objectContaining({
        service: 'dataverse',
        status: 429,
        code: '0x80072322',
        requestId: 'abc-123',
      }),
    ]);
  });

  it('makes a 412 a named non-retryable failure with an actionable message', () => {
    const error = errorFromResponse({
      service: 'dataverse',
      operation: 'PATCH msdyn_workorders(5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d)',
      status: 412,
      headers: {},
      body: JSON.stringify({
        error: {
          code: '',
          message: "The version of the existing record doesn't match the RowVersion property provided.",
        },
      }),
    });
    const failure = toApplicationFailure(error);
    expect(failure.type).toBe('D365PreconditionFailed');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.nextRetryDelay).toBeUndefined();
    expect(failure.message).toMatch(/doesn't match the RowVersion.*read it again/);
  });

  it('rethrows connector errors as failures and leaves other errors alone', () => {
    const d365 = new D365Error({
      service: 'finance',
      kind: 'network',
      operation: 'GET Warehouses',
      serviceMessage: 'socket hang up',
    });
    expect(() => rethrowAsD365Failure(d365)).toThrow(ApplicationFailure);
    const other = new TypeError('bug');
    expect(() => rethrowAsD365Failure(other)).toThrow(other);
  });
});
