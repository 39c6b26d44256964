import { z } from 'zod';
import { invoices } from '../../../connectors/entities/dataverse';
import type { SourceValues } from '../../../mappings/engine';
import {
  agreementInvoiceTasks,
  type AgreementInvoiceTasks,
} from '../../agreement-invoice/agreement-invoice-tasks';
import { agreementInvoiceColumns } from '../../agreement-invoice/load-agreement-invoice';
import { FREE_TEXT_INVOICE_NUMBER_COLUMN } from '../../agreement-invoice/posting';
import { sourceFilterOf } from '../../source-filter';
import { hasAgreementInvoiceFlow } from '../../watchers/header-filter';
import { documentPages, orphanPages } from '../document-pages';
import { pageReading, type ReconcileJoin, type ReconcileScope } from '../join';
import { allOf, changedSince, countKeyed, keyAfter, type KeyedReader } from '../keyed-pages';
import { hasTasks } from '../project-tasks';
import {
  countDocumentsAndWorkflows,
  runningWorkflowPages,
  workflowPassPositions,
} from '../running-workflows';
import { evaluateAgreementInvoice, JOIN_NAME } from './evaluate';
import {
  freeTextInvoiceOrigin,
  freeTextInvoicesOf,
  freeTextInvoiceWithoutInvoice,
} from './free-text-orphans';
import { type AgreementInvoicePageDeps, readAgreementInvoicePage } from './invoice-page';
import { AGREEMENT_INVOICE_WORKFLOWS, agreementInvoiceWorkflowsWithoutInvoice } from './running-workflows';

/**
 * Where the join stands: in one of its three passes (Field Service invoices by number, then this
 * integration's free text invoices by `ExternalInvoiceId`, then running workflows by visibility page
 * token), or done.
 */
const positionSchema = z.discriminatedUnion('pass', [
  z.object({ pass: z.literal('invoices'), after: z.string() }),
  z.object({ pass: z.literal('free text invoices'), after: z.string() }),
  ...workflowPassPositions,
]);
type Position = z.infer<typeof positionSchema>;

/** Invoices the project's agreement invoice header task selects, changed since the scope's date, after a number. */
const invoiceFilter = (tasks: AgreementInvoiceTasks, scope: ReconcileScope, after: string) =>
  allOf(sourceFilterOf(tasks.header), changedSince(scope.since), keyAfter('invoicenumber', after));

/**
 * Field Service agreement invoices (those the project's task selects) ↔ their F&O free text invoices
 * (customer, currency, date; lines and totals as the project maps the invoice now) ↔ the posting ↔ the F&O
 * number recorded on the invoice ↔ the agreement invoice workflows; then this integration's free text
 * invoices without a Field Service invoice, and running workflows without one or parked in NeedsAttention.
 */
export const agreementInvoiceJoin: ReconcileJoin = {
  name: JOIN_NAME,

  appliesTo: (project) => hasAgreementInvoiceFlow(project) && hasTasks(project, agreementInvoiceTasks),

  async count(context, scope) {
    const tasks = agreementInvoiceTasks(context.project);
    const filter = (after: string) => invoiceFilter(tasks, scope, after);
    const origin = freeTextInvoiceOrigin(tasks.header);
    return (
      (await countDocumentsAndWorkflows(context, AGREEMENT_INVOICE_WORKFLOWS, filter)) +
      (origin === undefined ? 0 : await countKeyed(freeTextInvoicesOf(context, origin)))
    );
  },

  async *pages(context, scope, from) {
    let position: Position =
      from === undefined ? { pass: 'invoices', after: '' } : positionSchema.parse(from);
    const deps = pageReading(context, agreementInvoiceTasks, agreementInvoiceColumns);
    if (position.pass === 'invoices') {
      yield* invoicePages(deps, scope, position.after);
      position = { pass: 'free text invoices', after: '' };
    }
    const origin = freeTextInvoiceOrigin(deps.tasks.header);
    if (position.pass === 'free text invoices' && origin !== undefined) {
      const pass = { name: 'free text invoices', from: position.after, of: AGREEMENT_INVOICE_WORKFLOWS };
      yield* orphanPages(context, freeTextInvoicesOf(context, origin), pass, freeTextInvoiceWithoutInvoice);
    }
    if (position.pass !== 'workflows' && position.pass !== 'done') position = { pass: 'workflows' };
    if (position.pass === 'workflows') {
      yield* runningWorkflowPages(
        context,
        AGREEMENT_INVOICE_WORKFLOWS,
        position.token,
        agreementInvoiceWorkflowsWithoutInvoice,
      );
    }
  },
};

/** Field Service invoices by number, a page at a time; two invoices of one number are judged together. */
function invoicePages(deps: AgreementInvoicePageDeps, scope: ReconcileScope, from: string) {
  const rows: KeyedReader<SourceValues> = {
    read: (after, top) =>
      deps.context.dataverse.query(invoices, {
        select: [...deps.columns.header, FREE_TEXT_INVOICE_NUMBER_COLUMN],
        expand: deps.columns.expand,
        filter: invoiceFilter(deps.tasks, scope, after),
        orderBy: ['invoicenumber', 'invoiceid'],
        top,
      }),
    keyOf: (row) => String(row.invoicenumber),
  };
  return documentPages(rows, { name: 'invoices', from, numbersRepeat: true }, async (page) =>
    (await readAgreementInvoicePage(deps, page)).map((facts) => evaluateAgreementInvoice(facts, scope)),
  );
}
