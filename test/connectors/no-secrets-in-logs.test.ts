import { inspect } from 'node:util';
import { Secret } from '../../config/secret';
import { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { workOrders } from '../../connectors/entities/dataverse';
import { FinanceClient } from '../../connectors/finance/finance-client';
import { customers } from '../../connectors/entities/finance';
import type { ConnectorLogger } from '../../connectors/logger';
import { D365Error } from '../../connectors/errors';
import { toApplicationFailure } from '../../activities/d365-failure';
import { dataverse429 } from './support/microsoft-payloads';
import { FAKE_CLIENT_SECRET, startFakeTenant } from './support/fake-tenant';

describe('secrets and tokens', () => {
  const captured: string[] = [];
  const capture = (...values: unknown[]) =>
    captured.push(values.map((value) => inspect(value, { depth: 10 })).join(' '));

  beforeEach(() => {
    captured.length = 0;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(console, method).mockImplementation(capture);
    }
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        capture(String(chunk));
        return true;
      });
    }
  });

  afterEach(() => jest.restoreAllMocks());

  it('never reach the logs, the errors or their serializations', async () => {
    const logger: ConnectorLogger = { debug: capture, warn: capture };
    let call = 0;
    const tenant = await startFakeTenant((request) => {
      call++;
      if (call === 1) return { status: 401, body: { error: { code: '', message: 'expired' } } };
      if (call === 2)
        return {
          status: 200,
          body: {
            '@odata.etag': 'W/"1"',
            msdyn_workorderid: '5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d',
            msdyn_name: 'WO-1',
            msdyn_systemstatus: 690970001,
            _msdyn_serviceaccount_value: null,
            _msdyn_billingaccount_value: null,
          },
        };
      if (request.url.startsWith('/data/')) return { status: 500, body: 'An error has occurred.' };
      return { status: 429, headers: { 'retry-after': '3' }, body: dataverse429 };
    });
    try {
      const dataverse = new DataverseClient({
        url: tenant.url,
        tokenProvider: tenant.tokenProvider(),
        logger,
      });
      await dataverse.retrieve(workOrders, '5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d'); // 401, refresh, 200
      const throttled = await dataverse
        .retrieve(workOrders, '5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d')
        .catch((e: unknown) => e);
      const finance = new FinanceClient({
        url: tenant.url,
        company: 'usmf',
        tokenProvider: tenant.tokenProvider(),
        logger,
      });
      const serverError = await finance
        .retrieve(customers, { CustomerAccount: 'US-001' })
        .catch((e: unknown) => e);
      const badSecret = tenant.tokenProvider({
        ...tenant.credentials,
        clientSecret: new Secret(`${FAKE_CLIENT_SECRET}-old`),
      });
      const tokenFailure = await badSecret.getToken().catch((e: unknown) => e);
      for (const error of [throttled, serverError, tokenFailure]) {
        capture(error);
        captured.push(JSON.stringify(error), String(error));
        if (error instanceof D365Error) capture(toApplicationFailure(error)); // what workflow history would hold
      }
      capture(tenant.credentials, dataverse, finance);
    } finally {
      await tenant.close();
    }

    const output = captured.join('\n');
    expect(output).toContain('D365 request'); // the logger did report the traffic
    expect(output).toContain('Number of requests exceeded the limit');
    expect(output).toContain('D365Throttled');
    expect(tenant.issuedTokens.length).toBeGreaterThanOrEqual(3);
    expect(output).not.toContain(FAKE_CLIENT_SECRET);
    for (const token of tenant.issuedTokens) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(token.split('.')[1]);
    }
  });
});
