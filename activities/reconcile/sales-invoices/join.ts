import { z } from 'zod';
import { ge } from '../../../connectors';
import { type SalesInvoiceHeader, salesInvoiceHeaders } from '../../../connectors/entities/finance';
import { findTask } from '../../../mappings/engine';
import type { MappingProject } from '../../../mappings/project/merge';
import type { ReconcileJoin, ReconcileScope } from '../join';
import { allOf, keyAfter, keyedPages, type KeyedReader } from '../keyed-pages';
import { hasTasks } from '../project-tasks';
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
const invoiceFilter = (scope: ReconcileScope, after: string) =>
  allOf(scope.since ? ge('InvoiceDate', dayOf(scope.since)) : undefined, keyAfter('InvoiceNumber', after));

/**
 * F&O sales invoices of the legal entity that are not work orders' (the work order join judges those) ↔
 * the Field Service invoices of their numbers: recorded once, with the totals and lines the project's
 * sales invoice tasks make of them. Field Service invoices carry no mark of having come from F&O, so a
 * Field Service invoice whose F&O invoice is gone cannot be told from one created in Field Service: there
 * is no pass the other way.
 */
export const salesInvoiceJoin: ReconcileJoin = {
  name: JOIN_NAME,

  appliesTo: (project) => hasTasks(project, salesInvoiceTasks),

  /** F&O invoices of the scope, work orders' included: an upper bound for a progress bar. */
  count(context, scope) {
    const filter = invoiceFilter(scope, '');
    return context.finance.count(salesInvoiceHeaders, filter);
  },

  async *pages(context, scope, from) {
    const tasks = salesInvoiceTasks(context.project);
    const numberField = tasks.invoiceLines && lineNumberField(tasks.invoiceLines);
    const headers: KeyedReader<SalesInvoiceHeader> = {
      read: (after, top) =>
        context.finance.query(salesInvoiceHeaders, {
          filter: invoiceFilter(scope, after),
          orderBy: ['InvoiceNumber', 'InvoiceDate', 'LedgerVoucher'],
          top,
        }),
      keyOf: (header) => header.InvoiceNumber,
    };
    // The invoices of one number are on one page, which reads them all.
    const pages = keyedPages(headers, PAGE_SIZE, {
      from: from === undefined ? '' : positionSchema.parse(from).after,
      keepKeysTogether: true,
    });
    for await (const { rows, after } of pages) {
      const compared = await readSalesInvoicePage(context, tasks, rows);
      yield {
        checked: compared.length,
        inFlight: 0,
        drifts: compared.flatMap((facts) => evaluateSalesInvoice(facts, numberField)),
        position: { after },
      };
    }
  },
};
