import { ScheduleOverlapPolicy } from '@temporalio/client';
import { SALES_INVOICE_SCHEDULE_ID } from '../../client/sales-invoice-recording';
import { runScheduleNow } from '../../client/schedules';
import { applySyncSchedules } from '../../client/sync-schedules';
import { loadMappingProject } from '../../mappings/project/loader';
import type { MasterDataSyncResult } from '../../workflows/master-data/sync';
import { postSalesInvoice } from '../master-data/support';
import { TEST_NAMESPACES } from '../support/namespaces';
import { eventually, joinTestbed, resetStats } from './support';
import { connectorCatalog } from '../../connectors/entities/catalog';

// The sales invoice join of `fsfo reconcile` against worker + Temporal + the sandboxes. Its repair runs the
// `sync-sales-invoices` schedule, so this file keeps that schedule in a namespace of its own.
const NAMESPACE = TEST_NAMESPACES.reconcileSalesInvoices;
/** F&O dates invoices without a time of day; the tests pin theirs. */
const INVOICE_DATE = '2020-01-15';

const bed = joinTestbed('reconcile-sales', {
  namespace: NAMESPACE,
  cleanUp: ({ env }) =>
    env.client.schedule
      .getHandle(SALES_INVOICE_SCHEDULE_ID)
      .delete()
      .catch(() => undefined),
});

/**
 * The `sync-sales-invoices` schedule as `fsfo schedules apply` creates it, reading invoices dated from
 * `since`, and paused: each run is the test's (or a repair's).
 */
async function salesInvoiceSchedule(since: Date): Promise<void> {
  await applySyncSchedules(
    bed.env.client,
    bed.stack.config,
    loadMappingProject(bed.stack.config.mappingProject, connectorCatalog()),
    {
      every: '365 days',
      since,
      paused: true,
      only: ['sales-invoices'],
    },
  );
}

interface RecordedInvoice {
  invoiceid: string;
  totalamount: number;
}

async function recordedInvoices(invoiceNumber: string): Promise<RecordedInvoice[]> {
  const { value } = await bed.stack.dataverse<{ value: RecordedInvoice[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=invoiceid,totalamount`,
  );
  return value;
}

/** An invoice F&O posted (2 × P-1000 at 45.00) and the schedule recorded in Field Service. */
async function recordedInvoice(): Promise<{ number: string; invoiceId: string }> {
  const number = await postSalesInvoice(bed.stack, { invoiceDate: INVOICE_DATE });
  const result = await runScheduleNow<MasterDataSyncResult>(bed.env.client, SALES_INVOICE_SCHEDULE_ID);
  expect(result).toMatchObject({ created: 1, failed: [] });
  const [recorded] = await recordedInvoices(number);
  return { number, invoiceId: recorded!.invoiceid };
}

test('not recorded: an F&O invoice Field Service lacks; --fix has the schedule record it, also while a run goes on', async () => {
  // The schedule reads invoices dated from June 2020 on: only the repair can bring it this one.
  await salesInvoiceSchedule(new Date('2020-06-01T00:00:00Z'));
  await bed.expectClean();
  const number = await postSalesInvoice(bed.stack, { invoiceDate: INVOICE_DATE });

  const command = `fsfo sales-invoice record ${number}`;
  const report = await bed.expectDrifts([
    expect.objectContaining({
      class: 'not recorded',
      join: 'sales invoices',
      document: 'F&O sales invoice',
      key: number,
      fieldService: null,
      finance: expect.objectContaining({
        InvoiceNumber: number,
        TotalInvoiceAmount: 90,
        CurrencyCode: 'USD',
      }),
      workflow: null,
      fix: { command, repair: { action: 'recordSalesInvoice', invoiceNumber: number } },
    }),
  ]);
  expect(report.checked).toBe(1);

  // A run of the schedule (as it fires: overlap SKIP) has started when --fix asks for the invoice; no worker
  // has picked it up yet.
  const schedule = bed.env.client.schedule.getHandle(SALES_INVOICE_SCHEDULE_ID);
  await schedule.trigger(ScheduleOverlapPolicy.SKIP);
  await eventually(async () => expect((await schedule.describe()).info.runningActions).toHaveLength(1));
  await bed.expectRepaired(
    [{ command, outcome: `${SALES_INVOICE_SCHEDULE_ID} records it now` }],
    async () => {
      await bed.startWorker();
      await eventually(async () => {
        expect(await recordedInvoices(number)).toEqual([expect.objectContaining({ totalamount: 90 })]);
        expect((await schedule.describe()).info.runningActions).toEqual([]);
      });
    },
  );
});

test('totals differ: a Field Service invoice edited after recording; a person corrects it', async () => {
  await bed.startWorker();
  await salesInvoiceSchedule(new Date(0));
  const { number, invoiceId } = await recordedInvoice();
  await bed.expectClean();
  await bed.stack.updateInDataverse(`invoices(${invoiceId})`, { totalamount: 100 });

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'totals differ',
      document: 'Field Service invoice',
      key: number,
      fieldService: { totalamount: 100 },
      finance: { totalamount: 90 },
      fix: {
        person:
          `Correct Field Service invoice ${number} to F&O's values (F&O's posted invoice is the record), or ` +
          'delete it in Field Service and run the command: the sales invoice sync records it again from F&O.',
        command: `fsfo sales-invoice record ${number}`,
      },
    }),
  ]);
  await bed.expectOnlyAPerson();
});

test('lines differ: a line of a recorded Field Service invoice changed; a person corrects it', async () => {
  await bed.startWorker();
  await salesInvoiceSchedule(new Date(0));
  const { number, invoiceId } = await recordedInvoice();
  await bed.expectClean();
  const { value } = await bed.stack.dataverse<{ value: { invoicedetailid: string }[] }>(
    `invoicedetails?$filter=_invoiceid_value eq ${invoiceId}&$select=invoicedetailid`,
  );
  await bed.stack.updateInDataverse(`invoicedetails(${value[0]!.invoicedetailid})`, { quantity: 3 });

  const report = await bed.expectDrifts([
    expect.objectContaining({
      class: 'lines differ',
      document: 'Field Service invoice',
      key: number,
      fieldService: { 'line 1 quantity': 3 },
      finance: { 'line 1 quantity': 2 },
    }),
  ]);
  expect(report.drifts[0]!.message).toBe(
    `The lines of Field Service invoice ${number} differ from F&O's posted invoice: line 1 quantity: Field Service 3, F&O 2.`,
  );
  await bed.expectOnlyAPerson();
});

test('duplicated: a second Field Service invoice with the number of a recorded one; a person deletes one', async () => {
  await bed.startWorker();
  await salesInvoiceSchedule(new Date(0));
  const { number } = await recordedInvoice();
  await bed.expectClean();
  await bed.stack.createInDataverse('invoices', {
    invoicenumber: number,
    name: number,
    totalamount: 90,
    'customerid_account@odata.bind': "/accounts(accountnumber='US-002')",
  });

  await bed.expectDrifts([
    expect.objectContaining({ class: 'duplicated', document: 'Field Service invoice', key: number }),
  ]);
  await bed.expectOnlyAPerson();
});

test('--since: only F&O invoices dated since the day of the date are compared', async () => {
  const number = await postSalesInvoice(bed.stack, { invoiceDate: INVOICE_DATE });
  expect(await bed.run({ since: new Date('2020-01-16T00:00:00Z') })).toMatchObject({
    checked: 0,
    drifts: [],
  });
  // Later that day: F&O's date has no time, the invoice is of that day.
  expect((await bed.run({ since: new Date('2020-01-15T15:00:00Z') })).drifts).toEqual([
    expect.objectContaining({ class: 'not recorded', key: number }),
  ]);
});

test('a page costs the same requests for one invoice or five: key filters, never a request per invoice', async () => {
  await bed.startWorker();
  await salesInvoiceSchedule(new Date(0));
  await recordedInvoice();
  await resetStats(bed.stack);
  expect((await bed.run()).checked).toBe(1);
  const forOne = await bed.requests();

  for (let more = 0; more < 4; more++) await recordedInvoice();
  await resetStats(bed.stack);
  expect((await bed.run()).checked).toBe(5);
  expect(await bed.requests()).toBe(forOne);
});
