import { z } from 'zod';
import { and, ge, gt, type Filter } from '../../../connectors';
import { type SalesInvoiceHeader, salesInvoiceHeaders } from '../../../connectors/entities/finance';
import { findTask, MissingTaskError } from '../../../mappings/engine';
import type { MappingProject } from '../../../mappings/project/merge';
import type { ReconcileJoin, ReconcileScope } from '../join';
import { evaluateSalesInvoice, JOIN_NAME } from './evaluate';
import { lineNumberField, readSalesInvoicePage, type SalesInvoiceTasks } from './invoice-page';

/** Invoices per page: each page costs about six requests, whatever is in it. */
const PAGE_SIZE = 100;

const positionSchema = z.object({ after: z.string() });

/** The project's sales invoice tasks (those the `sync-sales-invoices` schedule runs). */
function salesInvoiceTasks(project: MappingProject): SalesInvoiceTasks {
  return {
    invoiceHeader: findTask(
      project,
      (task) => task.source === 'SalesInvoiceHeadersV2',
      'sales invoice header task',
    ),
    invoiceLines: project.tasks.find((task) => task.source === 'SalesInvoiceLines'),
  };
}

/** F&O dates have no time of day: an invoice dated on the day `since` falls on counts as since then. */
const dayOf = (since: Date) => new Date(`${since.toISOString().slice(0, 10)}T00:00:00Z`);

/** Invoices of the legal entity dated since the scope's date, after an invoice number. */
function invoiceFilter(scope: ReconcileScope, after: string): Filter | undefined {
  const filters = [
    scope.since ? ge('InvoiceDate', dayOf(scope.since)) : undefined,
    after === '' ? undefined : gt('InvoiceNumber', after),
  ].filter((filter): filter is Filter => filter !== undefined);
  const [first, ...rest] = filters;
  return first && and(first, ...rest);
}

const sameNumber = (a: SalesInvoiceHeader, b: SalesInvoiceHeader) =>
  a.InvoiceNumber.toLowerCase() === b.InvoiceNumber.toLowerCase();

/**
 * F&O sales invoices of the legal entity that are not work orders' (the work order join judges those) ↔
 * the Field Service invoices of their numbers: recorded once, with the totals and lines the project's
 * sales invoice tasks make of them. Field Service invoices carry no mark of having come from F&O, so a
 * Field Service invoice whose F&O invoice is gone cannot be told from one created in Field Service: there
 * is no pass the other way.
 */
export const salesInvoiceJoin: ReconcileJoin = {
  name: JOIN_NAME,

  appliesTo(project) {
    try {
      salesInvoiceTasks(project);
      return true;
    } catch (err) {
      if (err instanceof MissingTaskError) return false;
      throw err;
    }
  },

  /** F&O invoices of the scope, work orders' included: an upper bound for a progress bar. */
  count(context, scope) {
    const filter = invoiceFilter(scope, '');
    return context.finance.count(salesInvoiceHeaders, filter);
  },

  async *pages(context, scope, from) {
    const tasks = salesInvoiceTasks(context.project);
    const numberField = tasks.invoiceLines && lineNumberField(tasks.invoiceLines);
    for (let after = from === undefined ? '' : positionSchema.parse(from).after, full = true; full;) {
      const headers: SalesInvoiceHeader[] = [];
      for await (const header of context.finance.query(salesInvoiceHeaders, {
        filter: invoiceFilter(scope, after),
        orderBy: ['InvoiceNumber', 'InvoiceDate', 'LedgerVoucher'],
        top: PAGE_SIZE,
      })) {
        headers.push(header);
      }
      if (headers.length === 0) return;
      full = headers.length === PAGE_SIZE;
      // A full page leaves the invoices of its last number to the next page, which reads them all.
      const last = headers.at(-1)!;
      const settled = full ? headers.filter((header) => !sameNumber(header, last)) : headers;
      const page = settled.length > 0 ? settled : headers;
      after = page.at(-1)!.InvoiceNumber;
      const compared = await readSalesInvoicePage(context, tasks, page);
      yield {
        checked: compared.length,
        inFlight: 0,
        drifts: compared.flatMap((facts) => evaluateSalesInvoice(facts, numberField)),
        position: { after },
      };
    }
  },
};
