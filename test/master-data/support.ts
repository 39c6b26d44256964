import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as delay } from 'node:timers/promises';
import type { SyncInput } from '../../activities/master-data/contract';
import { SETTLE_MS } from '../../activities/settle';
import { describeSchedule, runScheduleNow } from '../../client/schedules';
import type { Stack } from '../support/stack';
import type { MasterDataSyncResult } from '../../workflows/master-data/sync';

/**
 * Triggers one run of the schedule and returns its result (through any continue-as-new). Syncs leave
 * changes younger than `SETTLE_MS` to their next run, so it waits that long first.
 */
export async function runSchedule(client: Client, scheduleId: string): Promise<MasterDataSyncResult> {
  await delay(SETTLE_MS + 100);
  return runScheduleNow<MasterDataSyncResult>(client, scheduleId);
}

export async function scheduleInput(client: Client, scheduleId: string): Promise<SyncInput> {
  return (await describeSchedule(client, scheduleId)).input as SyncInput;
}

export async function idOf(
  stack: Stack,
  entitySet: string,
  filter: string,
  idField: string,
): Promise<string> {
  const found = await stack.dataverse<{ value: Record<string, string>[] }>(`${entitySet}?$filter=${filter}`);
  const id = found.value[0]?.[idField];
  if (!id) throw new Error(`no ${entitySet} with ${filter}`);
  return id;
}

/**
 * An F&O user posts the invoice of a one-line sales order (P-1000 at 45.00 USD, a new order unless one is
 * named) with this invoice date, and a preallocated invoice number if given; returns the invoice number.
 */
export async function postSalesInvoice(
  stack: Stack,
  invoice: { invoiceDate: string; salesOrderNumber?: string; quantity?: number; invoiceNumber?: string },
): Promise<string> {
  const order = invoice.salesOrderNumber ?? `SO-INV-${randomUUID().slice(0, 8).toUpperCase()}`;
  await stack.createInFinance('CDSSalesOrderHeaders', {
    dataAreaId: 'usmf',
    SalesOrderNumber: order,
    OrderingCustomerAccountNumber: 'US-002',
    CurrencyCode: 'USD',
  });
  await stack.createInFinance('CDSSalesOrderLines', {
    dataAreaId: 'usmf',
    SalesOrderNumber: order,
    LineCreationSequenceNumber: 1,
    ProductNumber: 'P-1000',
    OrderedSalesQuantity: invoice.quantity ?? 2,
    SalesUnitSymbol: 'ea',
    SalesPrice: 45,
  });
  const posted = await stack.control('finance', `sales-orders/usmf/${order}/post-invoice`, {
    invoiceDate: invoice.invoiceDate,
    ...(invoice.invoiceNumber ? { invoiceNumber: invoice.invoiceNumber } : {}),
  });
  if (posted.status !== 200) throw new Error(`post-invoice: ${posted.status} ${await posted.text()}`);
  const { InvoiceNumber: invoiceNumber, InvoiceDate: invoiceDate } = (await posted.json()) as {
    InvoiceNumber: string;
    InvoiceDate: string;
  };
  if (!invoiceDate.startsWith(invoice.invoiceDate)) throw new Error(`posted with date ${invoiceDate}`);
  return invoiceNumber;
}

/** A Field Service product as a dispatcher would add it (not yet in F&O): unit and currency bound by id. */
export async function createProduct(
  stack: Stack,
  productNumber: string,
  values: { price?: number; currency?: string } = {},
): Promise<string> {
  const uom = await idOf(stack, 'uoms', "msdyn_symbol eq 'ea'", 'uomid');
  const currency = await idOf(
    stack,
    'transactioncurrencies',
    `isocurrencycode eq '${values.currency ?? 'USD'}'`,
    'transactioncurrencyid',
  );
  return stack.createInDataverse('products', {
    productnumber: productNumber,
    name: `Part ${productNumber}`,
    msdyn_fieldserviceproducttype: 690970000,
    price: values.price ?? 10,
    'defaultuomid@odata.bind': `/uoms(${uom})`,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currency})`,
  });
}

/** Creates Field Service products through `$batch` (500 per request), as a bulk import would. */
export async function createProducts(stack: Stack, numbers: readonly string[]): Promise<void> {
  const uom = await idOf(stack, 'uoms', "msdyn_symbol eq 'ea'", 'uomid');
  const { urls, app } = stack.sandboxes;
  const tokenResponse = await fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'client_credentials',
      scope: `${urls.dataverse}/.default`,
    }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  for (let start = 0; start < numbers.length; start += 500) {
    const boundary = `batch_${randomUUID()}`;
    const parts = numbers.slice(start, start + 500).map((number) =>
      [
        `--${boundary}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        `POST ${urls.dataverse}/api/data/v9.2/products HTTP/1.1`,
        'Content-Type: application/json',
        '',
        JSON.stringify({
          productnumber: number,
          name: `Bulk part ${number}`,
          msdyn_fieldserviceproducttype: 690970000,
          price: 5,
          'defaultuomid@odata.bind': `/uoms(${uom})`,
        }),
      ].join('\r\n'),
    );
    const response = await fetch(`${urls.dataverse}/api/data/v9.2/$batch`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/mixed; boundary=${boundary}`,
      },
      body: `${parts.join('\r\n')}\r\n--${boundary}--\r\n`,
    });
    const body = await response.text();
    if (!response.ok || / HTTP\/1\.1 [45]\d\d /.test(body))
      throw new Error(`$batch: ${response.status} ${body.slice(0, 500)}`);
  }
}

v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The live heap while `run` runs: sampled after a full garbage collection, so the figure is what is
 * held, not garbage not yet collected. The first sample is taken 5 ms into the run, the next ones as
 * closely as the collections allow (the run keeps at least half its pace), so a short run is measured
 * like a long one; a run that ends before any sample (it never waited) is refused rather than measured
 * as 0 MB. `growthMb`: the most it grew above where it started, in MB.
 */
export async function heapGrowthDuring<T>(
  run: () => Promise<T>,
): Promise<{ result: T; growthMb: number; transientMb: number; samples: number }> {
  const live = () => {
    collectGarbage();
    return process.memoryUsage().heapUsed;
  };
  const start = live();
  let peak = start;
  let samples = 0;
  let running = true;
  const sampler = (async () => {
    for (let pause = 5; ;) {
      await delay(pause);
      if (!running) return;
      const began = performance.now();
      peak = Math.max(peak, live());
      samples++;
      pause = Math.max(5, performance.now() - began);
    }
  })();
  let result: T;
  try {
    result = await run();
  } finally {
    running = false;
    await sampler;
  }
  if (samples === 0) throw new Error('the heap was not sampled while the run ran: measure a larger run');
  const end = live();
  // transient: held at the peak beyond what the run left behind (e.g. records it wrote to the sandboxes).
  return {
    result,
    growthMb: (peak - start) / 2 ** 20,
    transientMb: (Math.max(peak, end) - end) / 2 ** 20,
    samples,
  };
}
