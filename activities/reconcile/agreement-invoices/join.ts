import { z } from 'zod';
import { and, ge, gt, type Filter } from '../../../connectors';
import { invoices } from '../../../connectors/entities/dataverse';
import { MissingTaskError, type SourceValues } from '../../../mappings/engine';
import { InvoiceNumber } from '../../../workflows/search-attributes';
import {
  agreementInvoiceTasks,
  type AgreementInvoiceTasks,
} from '../../agreement-invoice/agreement-invoice-tasks';
import { agreementInvoiceColumns } from '../../agreement-invoice/load-agreement-invoice';
import { FREE_TEXT_INVOICE_NUMBER_COLUMN } from '../../agreement-invoice/posting';
import { ReferenceData } from '../../reference-data';
import { RelatedRecordReader } from '../../related-records';
import { sourceFilterOf } from '../../source-filter';
import { hasAgreementInvoiceFlow } from '../../watchers/header-filter';
import type { Drift } from '../drift';
import type { JoinPage, ReconcileJoin, ReconcileScope } from '../join';
import { evaluateAgreementInvoice, JOIN_NAME } from './evaluate';
import { freeTextInvoiceOrigin, freeTextInvoiceOrphans, freeTextInvoicesAfter } from './free-text-orphans';
import {
  AGREEMENT_INVOICE_WORKFLOW,
  type AgreementInvoicePageDeps,
  readAgreementInvoicePage,
} from './invoice-page';
import { runningAgreementInvoiceDrifts } from './running-workflows';

/** Documents per page: each page of invoices costs about 10 requests, whatever is in it. */
const PAGE_SIZE = 100;
/** Keys per request when only counting. */
const COUNT_PAGE_SIZE = 5_000;

/**
 * Where the join stands: in one of its three passes (Field Service invoices by number, then this
 * integration's free text invoices by `ExternalInvoiceId`, then running workflows by visibility page
 * token), or done.
 */
const positionSchema = z.discriminatedUnion('pass', [
  z.object({ pass: z.literal('invoices'), after: z.string() }),
  z.object({ pass: z.literal('free text invoices'), after: z.string() }),
  z.object({ pass: z.literal('workflows'), token: z.string().optional() }),
  z.object({ pass: z.literal('done') }),
]);
type Position = z.infer<typeof positionSchema>;

/** Invoices the project's agreement invoice header task selects, changed since the scope's date. */
function invoiceFilter(
  tasks: AgreementInvoiceTasks,
  scope: ReconcileScope,
  after: string,
): Filter | undefined {
  const filters = [
    sourceFilterOf(tasks.header),
    scope.since ? ge('modifiedon', scope.since) : undefined,
    after === '' ? undefined : gt('invoicenumber', after),
  ].filter((filter): filter is Filter => filter !== undefined);
  const [first, ...rest] = filters;
  return first && and(first, ...rest);
}

const sameNumber = (a: SourceValues, b: SourceValues) =>
  String(a.invoicenumber).toLowerCase() === String(b.invoicenumber).toLowerCase();

/**
 * Field Service agreement invoices (those the project's task selects) ↔ their F&O free text invoices
 * (customer, currency, date; lines and totals as the project maps the invoice now) ↔ the posting ↔ the F&O
 * number recorded on the invoice ↔ the agreement invoice workflows; then this integration's free text
 * invoices without a Field Service invoice, and running workflows without one or parked in NeedsAttention.
 */
export const agreementInvoiceJoin: ReconcileJoin = {
  name: JOIN_NAME,

  appliesTo(project) {
    if (!hasAgreementInvoiceFlow(project)) return false;
    try {
      agreementInvoiceTasks(project);
      return true;
    } catch (err) {
      if (err instanceof MissingTaskError) return false;
      throw err;
    }
  },

  async count(context, scope) {
    const tasks = agreementInvoiceTasks(context.project);
    let total = 0;
    for (let after = '', full = true; full;) {
      const numbers: string[] = [];
      for await (const row of context.dataverse.query(invoices, {
        select: ['invoicenumber'],
        filter: invoiceFilter(tasks, scope, after),
        orderBy: ['invoicenumber'],
        top: COUNT_PAGE_SIZE,
      })) {
        numbers.push(row.invoicenumber);
      }
      total += numbers.length;
      full = numbers.length === COUNT_PAGE_SIZE;
      after = numbers.at(-1) ?? after;
    }
    const origin = freeTextInvoiceOrigin(tasks.header);
    for (let after = '', full = origin !== undefined; full;) {
      const headers = await freeTextInvoicesAfter(context, origin!, after, COUNT_PAGE_SIZE);
      total += headers.length;
      full = headers.length === COUNT_PAGE_SIZE;
      after = headers.at(-1)?.ExternalInvoiceId ?? after;
    }
    return total + (await context.workflows.countRunning(AGREEMENT_INVOICE_WORKFLOW));
  },

  async *pages(context, scope, from) {
    let position: Position =
      from === undefined ? { pass: 'invoices', after: '' } : positionSchema.parse(from);
    const tasks = agreementInvoiceTasks(context.project);
    const deps: AgreementInvoicePageDeps = {
      context,
      tasks,
      columns: agreementInvoiceColumns(tasks),
      related: new RelatedRecordReader(context.dataverse, new ReferenceData(context.dataverse)),
    };
    if (position.pass === 'invoices') {
      for await (const page of invoicePages(deps, scope, position.after)) yield page;
      position = { pass: 'free text invoices', after: '' };
    }
    const origin = freeTextInvoiceOrigin(tasks.header);
    if (position.pass === 'free text invoices' && origin !== undefined) {
      for (let after = position.after, full = true; full;) {
        const headers = await freeTextInvoicesAfter(context, origin, after, PAGE_SIZE);
        if (headers.length === 0) break;
        after = headers.at(-1)!.ExternalInvoiceId;
        full = headers.length === PAGE_SIZE;
        const drifts = await freeTextInvoiceOrphans(context, headers);
        yield {
          checked: headers.length,
          inFlight: 0,
          drifts,
          position: { pass: 'free text invoices', after },
        };
      }
    }
    if (position.pass !== 'workflows' && position.pass !== 'done') position = { pass: 'workflows' };
    if (position.pass === 'workflows') {
      for (let token = position.token, more = true; more;) {
        const { runs, next } = await context.workflows.runningPage(
          AGREEMENT_INVOICE_WORKFLOW,
          InvoiceNumber,
          PAGE_SIZE,
          token,
        );
        const drifts = await runningAgreementInvoiceDrifts(context, runs);
        token = next;
        more = next !== undefined;
        const done: Position = { pass: 'done' };
        yield {
          checked: runs.length,
          inFlight: 0,
          drifts,
          position: more ? { pass: 'workflows', token } : done,
        };
      }
    }
  },
};

/**
 * Field Service invoices by number, a page at a time. A full page leaves the rows of its last number to
 * the next page (that number may go on there), so two invoices of one number are always judged together.
 */
async function* invoicePages(
  deps: AgreementInvoicePageDeps,
  scope: ReconcileScope,
  from: string,
): AsyncGenerator<JoinPage> {
  const { dataverse } = deps.context;
  for (let after = from, full = true; full;) {
    const rows: SourceValues[] = [];
    for await (const row of dataverse.query(invoices, {
      select: [...deps.columns.header, FREE_TEXT_INVOICE_NUMBER_COLUMN],
      expand: deps.columns.expand,
      filter: invoiceFilter(deps.tasks, scope, after),
      orderBy: ['invoicenumber', 'invoiceid'],
      top: PAGE_SIZE,
    })) {
      rows.push(row);
    }
    if (rows.length === 0) return;
    full = rows.length === PAGE_SIZE;
    const last = rows.at(-1)!;
    const settled = full ? rows.filter((row) => !sameNumber(row, last)) : rows;
    const page = settled.length > 0 ? settled : rows;
    after = String(page.at(-1)!.invoicenumber);

    const drifts = new Map<string, Drift>(); // two invoices of one number are one drift
    let inFlight = 0;
    for (const facts of await readAgreementInvoicePage(deps, page)) {
      const outcome = evaluateAgreementInvoice(facts, scope);
      if (outcome.kind === 'in flight') inFlight++;
      if (outcome.kind !== 'judged') continue;
      for (const drift of outcome.drifts) drifts.set(`${drift.class}/${drift.document}/${drift.key}`, drift);
    }
    yield {
      checked: page.length,
      inFlight,
      drifts: [...drifts.values()],
      position: { pass: 'invoices', after },
    };
  }
}
