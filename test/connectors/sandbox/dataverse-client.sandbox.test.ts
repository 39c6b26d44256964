import { randomUUID } from 'node:crypto';
import {
  accounts,
  FieldServiceProductType,
  products,
  purchaseOrderReceipts,
  WorkOrderLineNavigation,
  WorkOrderLineStatus,
  workOrderProducts,
  workOrders,
  WorkOrderSystemStatus,
} from '../../../connectors/entities/dataverse';
import { bind, formattedValue, lookupReference } from '../../../connectors/dataverse/annotations';
import { guid } from '../../../connectors/odata/literals';
import { D365Error } from '../../../connectors/errors';
import { and, eq, ge } from '../../../connectors/odata/filter';
import type { RequestStatsReport } from '../../../sandboxes/platform/request-stats';
import { startSandboxConnectors, type SandboxConnectors } from './sandbox-connectors';

let env: SandboxConnectors;

beforeAll(async () => {
  env = await startSandboxConnectors();
});
afterAll(() => env.sandboxes.close());
beforeEach(async () => {
  await env.control('dataverse', 'reset');
  await env.control('dataverse', 'faults', 'PUT', {});
});

const prefix = () => `T${randomUUID().slice(0, 6)}-`;

async function createWorkOrders(names: string[]) {
  const created = [];
  for (const name of names) {
    created.push(
      await env.dataverse.create(workOrders, {
        msdyn_name: name,
        msdyn_systemstatus: WorkOrderSystemStatus.OpenScheduled,
      }),
    );
  }
  return created;
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

async function namesOf(query: AsyncIterable<{ msdyn_name: string }>) {
  const names: string[] = [];
  for await (const row of query) names.push(row.msdyn_name);
  return names;
}

describe('DataverseClient against the Dataverse sandbox', () => {
  it('pages across pages and survives a token expiry in the middle of the run', async () => {
    const p = prefix();
    await createWorkOrders([1, 2, 3, 4, 5].map((n) => `${p}${n}`));
    await env.control('dataverse', 'stats', 'DELETE');
    const rows = env.dataverse.query(workOrders, { orderBy: ['msdyn_name'], pageSize: 2 });
    const names: string[] = [];
    for await (const row of rows) {
      names.push(row.msdyn_name);
      if (names.length === 2) await env.control('dataverse', 'expire-tokens');
    }
    expect(names).toEqual([1, 2, 3, 4, 5].map((n) => `${p}${n}`));
    const stats = (await env.control('dataverse', 'stats', 'GET')) as RequestStatsReport;
    // Three pages, and the second one asked twice: refused with the expired token, then served with a fresh one.
    expect(stats.requests).toEqual(
      expect.arrayContaining([
        { method: 'GET', entitySet: 'msdyn_workorders', status: 200, count: 3 },
        { method: 'GET', entitySet: 'msdyn_workorders', status: 401, count: 1 },
      ]),
    );
    expect(stats.total).toBe(4);
  });

  it('binds lookups, expands lines and reads formatted values and lookup annotations', async () => {
    const account = await env.dataverse.create(accounts, {
      name: 'Fourth Coffee',
      accountnumber: `${prefix()}A`,
    });
    const product = await env.dataverse.create(products, {
      name: 'Filter cartridge',
      productnumber: `${prefix()}P`,
      msdyn_fieldserviceproducttype: FieldServiceProductType.Inventory,
    });
    const workOrder = await env.dataverse.create(workOrders, {
      msdyn_name: `${prefix()}WO`,
      msdyn_systemstatus: WorkOrderSystemStatus.OpenScheduled,
      ...bind('msdyn_serviceaccount', 'accounts', account.accountid),
    });
    await env.dataverse.create(workOrderProducts, {
      msdyn_name: 'Cartridge',
      msdyn_linestatus: WorkOrderLineStatus.Estimated,
      msdyn_estimatequantity: 2,
      ...bind('msdyn_workorder', 'msdyn_workorders', workOrder.msdyn_workorderid),
      ...bind('msdyn_product', 'products', product.productid),
    });

    const [row] = await collect(
      env.dataverse.query(workOrders, {
        filter: eq('msdyn_workorderid', guid(workOrder.msdyn_workorderid)),
        expand: [
          { navigation: WorkOrderLineNavigation.products, select: ['msdyn_name', 'msdyn_estimatequantity'] },
        ],
      }),
    );
    if (!row) throw new Error('work order not found');
    expect(formattedValue(row, 'msdyn_systemstatus')).toBe('Open - Scheduled');
    expect(lookupReference(row, 'msdyn_serviceaccount')).toMatchObject({
      id: account.accountid,
      logicalName: 'account',
      name: 'Fourth Coffee',
    });
    expect(row[WorkOrderLineNavigation.products]).toEqual([
      expect.objectContaining({ msdyn_name: 'Cartridge', msdyn_estimatequantity: 2 }),
    ]);
  });

  it('finds a value with quotes and non-ASCII characters, and nothing else', async () => {
    const name = "WO-0042 O'Brien — Zürich ☕";
    await createWorkOrders([name, "WO-0042 O'Brien", 'WO-0042 O']);
    expect(await namesOf(env.dataverse.query(workOrders, { filter: eq('msdyn_name', name) }))).toEqual([
      name,
    ]);
    expect(
      await namesOf(
        env.dataverse.query(workOrders, { filter: eq('msdyn_name', "WO-0042 O' or msdyn_name ne '") }),
      ),
    ).toEqual([]);
    await expect(env.dataverse.retrieve(workOrders, { msdyn_name: name })).resolves.toMatchObject({
      msdyn_name: name,
    });
  });

  it('updates with the current ETag, then refuses a stale one with 412', async () => {
    const [created] = await createWorkOrders([`${prefix()}etag`]);
    if (!created) throw new Error('not created');
    const staleEtag = created['@odata.etag'];
    const updated = await env.dataverse.update(
      workOrders,
      created.msdyn_workorderid,
      { msdyn_city: 'Bergen' },
      staleEtag,
    );
    expect(updated.msdyn_city).toBe('Bergen');
    expect(updated['@odata.etag']).not.toBe(staleEtag);

    const failure = await env.dataverse
      .update(workOrders, created.msdyn_workorderid, { msdyn_city: 'Oslo' }, staleEtag)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(D365Error);
    expect(failure).toMatchObject({ kind: 'precondition-failed', status: 412, retryable: false });
    expect((failure as Error).message).toContain("doesn't match the RowVersion property provided");
    await expect(env.dataverse.retrieve(workOrders, created.msdyn_workorderid)).resolves.toMatchObject({
      msdyn_city: 'Bergen',
    });
  });

  it('upserts by alternate key: created first, updated after', async () => {
    const number = `${prefix()}ACC`;
    const first = await env.dataverse.upsert(accounts, { accountnumber: number }, { name: 'Fourth Coffee' });
    expect(first).toMatchObject({ created: true, row: { accountnumber: number, name: 'Fourth Coffee' } });
    const second = await env.dataverse.upsert(
      accounts,
      { accountnumber: number },
      { name: 'Fourth Coffee Ltd' },
    );
    expect(second).toMatchObject({
      created: false,
      row: { accountid: first.row.accountid, name: 'Fourth Coffee Ltd' },
    });
  });

  it('reports a 429 with its Retry-After as a delay', async () => {
    await env.control('dataverse', 'faults', 'PUT', { throttleRate: 1, throttleRetryAfterSeconds: 7 });
    const failure = await env.dataverse.retrieve(workOrders, randomUUID()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'throttled', status: 429, retryable: true, retryAfterMs: 7000 });
  });

  it('rolls back a change set when one operation fails', async () => {
    const p = prefix();
    const failure = await env.dataverse
      .batch([
        [
          env.dataverse.createOperation(workOrders, { msdyn_name: `${p}kept?` }),
          env.dataverse.createOperation(workOrders, { msdyn_name: `${p}bad`, msdyn_no_such_column: 1 }),
        ],
      ])
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'bad-request', status: 400, retryable: false });
    expect((failure as Error).message).toMatch(/change set rolled back.*msdyn_no_such_column/);
    expect(await namesOf(env.dataverse.query(workOrders, { filter: ge('msdyn_name', p) }))).toEqual([]);

    const parts = await env.dataverse.batch([
      [env.dataverse.createOperation(workOrders, { msdyn_name: `${p}ok` })],
    ]);
    expect(parts).toEqual([expect.objectContaining({ status: 204 })]);
    expect(
      await namesOf(
        env.dataverse.query(workOrders, { filter: and(ge('msdyn_name', p), eq('msdyn_name', `${p}ok`)) }),
      ),
    ).toEqual([`${p}ok`]);
  });

  it('surfaces a business rule (a plug-in refusing the write) readably and non-retryable', async () => {
    const failure = await env.dataverse
      .create(purchaseOrderReceipts, { msdyn_name: `${prefix()}receipt` })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(D365Error);
    expect(failure).toMatchObject({
      service: 'dataverse',
      kind: 'business-rule',
      status: 400,
      code: '0x80040265',
      retryable: false,
    });
    expect((failure as Error).message).toBe(
      'Dataverse POST msdyn_purchaseorderreceipts: Purchase order receipts are created by Supply Chain Management and cannot be created in Field Service. (HTTP 400, code 0x80040265)',
    );
  });

  it('surfaces a rejected write with the service message a person can act on', async () => {
    const number = `${prefix()}DUP`;
    await env.dataverse.create(accounts, { name: 'First', accountnumber: number });
    const failure = await env.dataverse
      .create(accounts, { name: 'Second', accountnumber: number })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ retryable: false, status: 412 });
    expect((failure as Error).message).toMatch(/already exists/);
  });
});
