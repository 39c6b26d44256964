import { z } from 'zod';
import type { PostedInvoiceNotice } from '../../activities/watchers/contract';
import { parseBody } from './http';

/** F&O's "Sales order invoice posted" business event, the fields the integration reads. */
const salesInvoicePosted = z.looseObject({
  BusinessEventId: z.literal('SalesInvoicePostedBusinessEvent', {
    error: 'only SalesInvoicePostedBusinessEvent is accepted here',
  }),
  ControlNumber: z.number().int(),
  SalesOrderId: z.string(),
  InvoiceId: z.string().min(1),
  LegalEntity: z.string().min(1),
});

/** F&O sends one event per request; a batch of them (an array) is accepted as well. */
const businessEvents = z.preprocess(
  (body) => (Array.isArray(body) ? body : [body]),
  z.array(salesInvoicePosted).min(1, 'expected at least one event'),
);

/** The invoices the events report; a malformed body is a 400 naming every problem. */
export function invoiceNotices(body: unknown): PostedInvoiceNotice[] {
  return parseBody(businessEvents, body).map((event) => ({
    salesOrderNumber: event.SalesOrderId,
    invoiceNumber: event.InvoiceId,
    // Business events name the company in upper case; dataAreaId, as everywhere else, is lower case.
    legalEntity: event.LegalEntity.toLowerCase(),
  }));
}
