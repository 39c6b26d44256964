import { ApplicationFailure } from '@temporalio/common';
import { and, eq, gt, or } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { workOrders } from '../../connectors/entities/dataverse';
import { D365Error } from '../../connectors/errors';
import { type SalesInvoiceHeader, salesInvoiceHeaders } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { RecordMappingError } from '../../mappings/engine';
import { keyFilters } from '../key-filters';
import type { ReferenceData } from '../reference-data';
import { recordInvoice } from '../work-order/record-invoice';
import { withLines } from '../work-order/sales-invoice';
import type { WorkOrderTasks } from '../work-order/work-order-tasks';
import { noCounts, type SyncCounts } from './contract';
import type { MasterDataSync } from './master-data-sync';

/** Why an invoice cannot be recorded, when a person must act; undefined for failures worth retrying now. */
function refusal(err: unknown): string | undefined {
  if (err instanceof RecordMappingError) return err.message;
  if (err instanceof D365Error && !err.retryable) return err.serviceMessage || err.message;
  if (err instanceof ApplicationFailure && err.nonRetryable) return err.message;
  return undefined;
}

/**
 * Sales invoices F&O → Field Service: every invoice F&O posted in the company, read by invoice date
 * and number, recorded in Field Service with its lines as the project's invoice tasks say (one change
 * set per invoice; an invoice already there is left). Invoices of work orders' sales orders are left to
 * the work order workflows, which record them when F&O posts them.
 */
export function salesInvoiceSync(
  dataverse: DataverseClient,
  finance: FinanceClient,
  reference: ReferenceData,
  tasks: Pick<WorkOrderTasks, 'invoiceHeader' | 'invoiceLines'>,
): MasterDataSync {
  /** Sales orders that are Field Service work orders: their workflows record their invoices. */
  const workOrderOrders = async (headers: readonly SalesInvoiceHeader[]): Promise<Set<string>> => {
    const numbers = [...new Set(headers.map((header) => header.SalesOrderNumber).filter(Boolean))];
    const found = new Set<string>();
    for (const filter of keyFilters('msdyn_name', numbers)) {
      for await (const row of dataverse.query(workOrders, { select: ['msdyn_name'], filter })) {
        found.add(String(row.msdyn_name));
      }
    }
    return found;
  };
  const record = async (headers: readonly SalesInvoiceHeader[]): Promise<SyncCounts> => {
    const counts = noCounts();
    const ofWorkOrders = await workOrderOrders(headers);
    for (const header of headers) {
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
      const day = new Date(after.changedOn ?? 0);
      const headers: SalesInvoiceHeader[] = [];
      for await (const header of finance.query(salesInvoiceHeaders, {
        filter: or(gt('InvoiceDate', day), and(eq('InvoiceDate', day), gt('InvoiceNumber', after.key))),
        orderBy: ['InvoiceDate', 'InvoiceNumber'],
        top: limit,
      })) {
        headers.push(header);
      }
      const last = headers.at(-1);
      const watermark = last
        ? { changedOn: new Date(last.InvoiceDate).toISOString(), key: last.InvoiceNumber }
        : after;
      return { ...(await record(headers)), watermark, more: headers.length >= limit };
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
