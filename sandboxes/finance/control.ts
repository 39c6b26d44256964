import { z } from 'zod';
import { jsonResponse } from '../http/json';
import { readControlBody } from '../platform/control-body';
import { controlError, type ControlRoute } from '../platform/control-router';
import type { BusinessEventPublisher } from './business-events';
import { copyDocument, documentCopiesBodySchema } from './document-copies';
import { normalizeDate, today } from './field-values';
import type { FinanceData } from './finance-data';
import { emptyFinanceState, type FinanceState } from './finance-state';
import { inventoryControlRoutes } from './inventory-control';
import { postFreeTextInvoice, postSalesInvoice, type PostingResult } from './invoice-posting';
import { purchasingControlRoutes } from './purchasing-control';

export interface FinanceControlOptions {
  data: FinanceData;
  events: BusinessEventPublisher;
  replaceState(state: FinanceState): void;
  seeded(): FinanceState;
  paging: { pageSize: number };
}

const postInvoiceBody = z
  .object({
    invoiceDate: z
      .string()
      .refine((value) => !Number.isNaN(Date.parse(value)))
      .optional(),
    /** A number from a block the server preallocated: F&O hands such numbers out of order. */
    invoiceNumber: z.string().min(1).max(20).optional(),
  })
  .strict();

/**
 * The F&O control API: simulated users posting invoices, business events, paging, reset and seed, and
 * bulk copies of a document for benchmarks.
 */
export function financeControlRoutes(options: FinanceControlOptions): ControlRoute[] {
  return [
    {
      method: 'POST',
      path: /^\/reset$/,
      handle: () => {
        options.replaceState(emptyFinanceState());
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: /^\/seed$/,
      handle: () => {
        const state = options.seeded();
        options.replaceState(state);
        return jsonResponse(200, {
          tables: Object.fromEntries(Object.entries(state.tables).map(([name, rows]) => [name, rows.length])),
        });
      },
    },
    {
      method: 'POST',
      path: /^\/companies\/([^/]+)\/copies$/,
      handle: (request, [company]) => {
        const body = readControlBody(request, documentCopiesBodySchema);
        if (!body.ok) return body.response;
        const result = copyDocument(options.data, company.toLowerCase(), body.value);
        return result.ok
          ? jsonResponse(200, { created: result.created })
          : controlError(result.status, result.message);
      },
    },
    { method: 'GET', path: /^\/paging$/, handle: () => jsonResponse(200, options.paging) },
    {
      method: 'PUT',
      path: /^\/paging$/,
      handle: (request) => {
        const body = readControlBody(
          request,
          z.object({ pageSize: z.number().int().min(1).max(10_000) }).strict(),
        );
        if (!body.ok) return body.response;
        options.paging.pageSize = body.value.pageSize;
        return jsonResponse(200, options.paging);
      },
    },
    {
      method: 'POST',
      path: /^\/sales-orders\/([^/]+)\/([^/]+)\/post-invoice$/,
      handle: (request, [company, salesOrderNumber]) => {
        const body = readControlBody(request, postInvoiceBody);
        if (!body.ok) return body.response;
        const invoiceDate = body.value.invoiceDate
          ? normalizeDate(Date.parse(body.value.invoiceDate))
          : today();
        return postingResponse(
          postSalesInvoice(
            options.data,
            options.events,
            company.toLowerCase(),
            salesOrderNumber,
            invoiceDate,
            body.value.invoiceNumber,
          ),
        );
      },
    },
    {
      method: 'POST',
      path: /^\/free-text-invoices\/([^/]+)\/([^/]+)\/post$/,
      handle: (_request, [company, externalInvoiceId]) =>
        postingResponse(postFreeTextInvoice(options.data, company.toLowerCase(), externalInvoiceId)),
    },
    ...purchasingControlRoutes(options.data),
    ...inventoryControlRoutes(options.data),
    {
      method: 'GET',
      path: /^\/business-events$/,
      handle: () =>
        jsonResponse(200, { url: options.events.url ?? null, deliveries: options.events.deliveries }),
    },
    {
      method: 'PUT',
      path: /^\/business-events$/,
      handle: (request) => {
        const body = readControlBody(request, z.object({ url: z.string().url().nullable() }).strict());
        if (!body.ok) return body.response;
        options.events.url = body.value.url ?? undefined;
        return jsonResponse(200, { url: options.events.url ?? null });
      },
    },
  ];
}

function postingResponse(result: PostingResult) {
  return result.ok ? jsonResponse(200, result.invoice) : controlError(result.status, result.message);
}
