import { freeTextInvoiceHeaders, freeTextInvoiceLines } from '../../connectors/entities/finance';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { documentDifferences, refusalOf, type RequestPreview, requestsOf } from '../document-preview';
import { ReferenceData } from '../reference-data';
import type { ValueDifference } from '../reconcile/value-differences';
import { RelatedRecordReader } from '../related-records';
import { ensureCheck, queryEach } from '../work-order/master-data';
import type { AgreementInvoiceTasks } from './agreement-invoice-tasks';
import { freeTextInvoiceWrites, mapFreeTextInvoice, readFreeTextInvoice } from './free-text-invoice';
import { loadAgreementInvoice } from './load-agreement-invoice';

/** What a sync of an agreement invoice would make of its F&O free text invoice now; nothing is written. */
export interface FreeTextInvoicePreview {
  invoiceNumber: string;
  legalEntity: string;
  /** Why a sync would stop (what it would park with). */
  refusal?: string;
  freeTextInvoice?: {
    externalInvoiceId: string;
    entitySet: string;
    header: Record<string, unknown>;
    lineEntitySet: string;
    lines: Record<string, unknown>[];
    totalAmount: number;
  };
  /** Whether F&O has a free text invoice of that external id, and its number once posted. */
  exists: boolean;
  postedAs?: string;
  differences: ValueDifference[];
  requests: RequestPreview[];
}

export interface AgreementInvoicePreviewDeps {
  dataverse: DataverseClient;
  finance: FinanceClient;
  tasks: AgreementInvoiceTasks;
}

/**
 * The free text invoice an agreement invoice would become now, how F&O's differs, and the writes a sync
 * would send (its customer, then the invoice), computed with the sync's own code; only GETs are sent.
 */
export async function previewFreeTextInvoice(
  deps: AgreementInvoicePreviewDeps,
  invoiceNumber: string,
): Promise<FreeTextInvoicePreview> {
  const { dataverse, finance, tasks } = deps;
  const related = new RelatedRecordReader(dataverse, new ReferenceData(dataverse));
  const snapshot = await loadAgreementInvoice({ dataverse, related, tasks }, invoiceNumber);
  const preview: FreeTextInvoicePreview = {
    invoiceNumber,
    legalEntity: finance.company,
    exists: false,
    differences: [],
    requests: [],
  };
  if (snapshot.ineligibleReason) return { ...preview, refusal: snapshot.ineligibleReason };
  let mapped;
  try {
    mapped = mapFreeTextInvoice(tasks, snapshot, finance.company);
  } catch (error) {
    return { ...preview, refusal: refusalOf(error) };
  }
  const lines = new Map(mapped.lines.map((line) => [Number(line.key.LineNumber), line]));
  preview.freeTextInvoice = {
    externalInvoiceId: mapped.summary.externalInvoiceId,
    entitySet: freeTextInvoiceHeaders.entitySet,
    header: mapped.header.values,
    lineEntitySet: freeTextInvoiceLines.entitySet,
    lines: [...lines.keys()].sort((a, b) => a - b).map((number) => lines.get(number)!.values),
    totalAmount: mapped.summary.totalAmount,
  };

  const customers = tasks.customers
    ? ensureCheck(finance, tasks.customers, snapshot.records.customers, (key) => `customer ${key}`)
    : undefined;
  const customersFound = customers ? await queryEach(finance, customers.queries) : [];
  const existing = await readFreeTextInvoice(finance, mapped.summary.externalInvoiceId);
  if (existing) {
    preview.exists = true;
    if (existing.header.IsPosted === 'Yes') preview.postedAs = String(existing.header.InvoiceNumber);
    preview.differences = documentDifferences({ header: mapped.header, lines }, existing);
  }
  try {
    preview.requests = [
      ...requestsOf('customer', customers?.writes(customersFound) ?? []),
      ...requestsOf('free text invoice', freeTextInvoiceWrites(finance, invoiceNumber, mapped, existing)),
    ];
  } catch (error) {
    preview.refusal = refusalOf(error);
  }
  return preview;
}
