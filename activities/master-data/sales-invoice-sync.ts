import { ApplicationFailure } from '@temporalio/common';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { invoices } from '../../connectors/entities/dataverse';
import { D365Error } from '../../connectors/errors';
import { type SalesInvoiceHeader, salesInvoiceHeaders } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { RecordMappingError } from '../../mappings/engine';
import { keyFilters } from '../key-filters';
import type { ReferenceData } from '../reference-data';
import { invoiceCountsFrom } from '../watchers/contract';
import { companyInvoices, type InvoicePosition, postedInvoicesPage } from '../watchers/posted-invoices';
import { recordInvoice } from '../work-order/record-invoice';
import { withLines } from '../work-order/sales-invoice';
import type { WorkOrderTasks } from '../work-order/work-order-tasks';
import { noCounts, type SyncCounts, type SyncWatermark } from './contract';
import type { MasterDataSync } from './master-data-sync';
import { workOrderSalesOrders } from './work-order-invoices';

/** Why an invoice cannot be recorded, when a person must act; undefined for failures worth retrying now. */
function refusal(err: unknown): string | undefined {
  if (err instanceof RecordMappingError) return err.message;
  if (err instanceof D365Error && !err.retryable) return err.serviceMessage || err.message;
  if (err instanceof ApplicationFailure && err.nonRetryable) return err.message;
  return undefined;
}

/** The sync's watermark as a position of the posted invoice reader: `changedOn` is the newest invoice date read. */
function positionOf(watermark: SyncWatermark): InvoicePosition {
  const invoiceDate = watermark.changedOn ?? new Date(0).toISOString();
  return {
    invoiceDate,
    key: watermark.key,
    counted: watermark.counted ?? invoiceCountsFrom(new Date(invoiceDate)),
  };
}

/**
 * Sales invoices F&O → Field Service: every invoice F&O posted in the company, recorded in Field
 * Service with its lines as the project's invoice tasks say (one change set per invoice; an invoice
 * already there is left). Read forward by invoice date and number; an invoice posted with a date behind
 * the watermark is found by the reader's count of the lookback window (`postedInvoicesPage`). Invoices
 * of work orders' sales orders are left to the work order workflows, which record them when F&O posts them.
 */
export function salesInvoiceSync(
  dataverse: DataverseClient,
  finance: FinanceClient,
  reference: ReferenceData,
  tasks: Pick<WorkOrderTasks, 'invoiceHeader' | 'invoiceLines'>,
  lookbackDays: number,
): MasterDataSync {
  /** Invoice numbers already recorded in Field Service, read in chunks: a date read again costs no F&O line reads. */
  const recorded = async (headers: readonly SalesInvoiceHeader[]): Promise<Set<string>> => {
    const found = new Set<string>();
    for (const filter of keyFilters(
      'invoicenumber',
      headers.map((header) => header.InvoiceNumber),
    )) {
      for await (const row of dataverse.query(invoices, { select: ['invoicenumber'], filter })) {
        found.add(String(row.invoicenumber));
      }
    }
    return found;
  };
  const record = async (headers: readonly SalesInvoiceHeader[]): Promise<SyncCounts> => {
    const counts = noCounts();
    if (headers.length === 0) return counts;
    const ofWorkOrders = await workOrderSalesOrders(dataverse, headers);
    const already = await recorded(headers);
    for (const header of headers) {
      if (already.has(header.InvoiceNumber)) {
        counts.unchanged++;
        continue;
      }
      if (ofWorkOrders.has(header.SalesOrderNumber)) {
        counts.unchanged++; // recorded by the work order's workflow; two writers could race to two invoices
        continue;
      }
      try {
        const invoice = await withLines(finance, header);
        const { created } = await recordInvoice({ dataverse, reference, tasks }, invoice);
        if (created) counts.created++;
        else counts.unchanged++;
      } catch (err) {
        const reason = refusal(err);
        if (reason === undefined) throw err;
        counts.failed.push({ key: header.InvoiceNumber, reason });
      }
    }
    return counts;
  };
  return {
    summary: 'Records the sales invoices posted in F&O in Field Service',
    async changes(after, limit) {
      const page = await postedInvoicesPage(companyInvoices(finance), positionOf(after), {
        limit,
        lookbackDays,
        today: new Date(),
      });
      const { invoiceDate, key, counted } = page.position;
      const watermark = { changedOn: invoiceDate, key, counted };
      return { ...(await record(page.invoices)), watermark, more: page.more };
    },
    async records(keys) {
      const headers: SalesInvoiceHeader[] = [];
      for (const filter of keyFilters('InvoiceNumber', keys)) {
        for await (const header of finance.query(salesInvoiceHeaders, { filter })) headers.push(header);
      }
      return record(headers);
    },
  };
}
