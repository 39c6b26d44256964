import { loadConfig } from '../../config/config';
import { createConnectors } from '../../connectors/create-connectors';
import { eq } from '../../connectors/odata/filter';
import type { ObservedRequest } from '../../connectors/http/request-observer';
import { customers } from '../../connectors/entities/finance';
import { workOrders } from '../../connectors/entities/dataverse';
import { FAKE_CLIENT_SECRET, startFakeTenant } from './support/fake-tenant';

describe('createConnectors', () => {
  it('wires both clients from the configuration, each with a token for its own environment', async () => {
    const tenant = await startFakeTenant((request) =>
      request.url.startsWith('/api/data/v9.2/')
        ? {
            status: 200,
            body: {
              '@odata.etag': 'W/"1"',
              msdyn_workorderid: '5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d',
              msdyn_name: 'WO-1',
              msdyn_systemstatus: 690970001,
              _msdyn_serviceaccount_value: null,
              _msdyn_billingaccount_value: null,
            },
          }
        : {
            status: 200,
            body: {
              dataAreaId: 'usmf',
              CustomerAccount: 'US-001',
              OrganizationName: 'Contoso',
              CustomerGroupId: '10',
            },
          },
    );
    try {
      // The same fake answers as two environments: one by IP address, one by host name.
      const financeUrl = tenant.url.replace('127.0.0.1', 'localhost');
      const config = loadConfig({
        FS_URL: tenant.url,
        FNO_URL: financeUrl,
        FNO_COMPANY: 'USMF',
        AZURE_TENANT_ID: tenant.credentials.tenantId,
        AZURE_CLIENT_ID: tenant.credentials.clientId,
        AZURE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
        AZURE_TOKEN_URL: tenant.credentials.tokenUrl,
      });
      const { dataverse, finance } = createConnectors(config);
      await expect(
        dataverse.retrieve(workOrders, '5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d'),
      ).resolves.toMatchObject({ msdyn_name: 'WO-1' });
      await expect(finance.retrieve(customers, { CustomerAccount: 'US-001' })).resolves.toMatchObject({
        OrganizationName: 'Contoso',
      });

      const scopes = tenant.tokenRequests().map((request) => new URLSearchParams(request.body).get('scope'));
      expect(scopes).toEqual([`${tenant.url}/.default`, `${financeUrl}/.default`]);
      expect(tenant.apiRequests().map((request) => request.url.split('?')[0])).toEqual([
        '/api/data/v9.2/msdyn_workorders(5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d)',
        "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')",
      ]);
    } finally {
      await tenant.close();
    }
  });

  it('tells the observer of every request: service, entity set without key or query, method, status, Retry-After', async () => {
    let throttled = false;
    const tenant = await startFakeTenant((request) => {
      if (!throttled) {
        throttled = true;
        return {
          status: 429,
          headers: { 'retry-after': '7' },
          body: { error: { code: '0x80072322', message: 'Number of requests exceeded the limit' } },
        };
      }
      return request.url.startsWith('/api/data/v9.2/')
        ? { status: 200, body: { value: [] } }
        : { status: 200, body: '3' };
    });
    try {
      const config = loadConfig({
        FS_URL: tenant.url,
        FNO_URL: tenant.url.replace('127.0.0.1', 'localhost'),
        AZURE_TENANT_ID: tenant.credentials.tenantId,
        AZURE_CLIENT_ID: tenant.credentials.clientId,
        AZURE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
        AZURE_TOKEN_URL: tenant.credentials.tokenUrl,
      });
      const observed: ObservedRequest[] = [];
      const { dataverse, finance } = createConnectors(config, {
        observer: (request) => observed.push(request),
      });
      const query = async () => {
        for await (const row of dataverse.query(workOrders, { filter: eq('msdyn_name', 'WO-1') })) void row;
      };
      await expect(query()).rejects.toMatchObject({ kind: 'throttled', retryAfterMs: 7000 });
      await query();
      await expect(finance.count(customers, eq('CustomerGroupId', '10'))).resolves.toBe(3);

      expect(observed.every(({ durationMs }) => durationMs >= 0)).toBe(true);
      expect(observed.map(({ durationMs: _, ...request }) => request)).toEqual([
        { service: 'token', entitySet: 'token', method: 'POST', status: 200 },
        {
          service: 'dataverse',
          entitySet: 'msdyn_workorders',
          method: 'GET',
          status: 429,
          retryAfterMs: 7000,
        },
        { service: 'dataverse', entitySet: 'msdyn_workorders', method: 'GET', status: 200 },
        { service: 'token', entitySet: 'token', method: 'POST', status: 200 },
        { service: 'finance', entitySet: 'CustomersV3', method: 'GET', status: 200 },
      ]);
    } finally {
      await tenant.close();
    }
  });
});
