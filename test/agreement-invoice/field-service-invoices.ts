import { randomUUID } from 'node:crypto';
import type { Stack } from '../support/stack';

export interface InvoiceLine {
  product: string;
  description: string;
  quantity: number;
  price: number;
  agreementOrigin?: boolean;
}

async function dataverseToken(stack: Stack): Promise<string> {
  const { urls, app } = stack.sandboxes;
  const response = await fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'client_credentials',
      scope: `${urls.dataverse}/.default`,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** PATCHes a Dataverse row, as a Field Service user editing it would. */
export async function updateInDataverse(
  stack: Stack,
  path: string,
  changes: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(`${stack.sandboxes.urls.dataverse}/api/data/v9.2/${path}`, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${await dataverseToken(stack)}`,
      'content-type': 'application/json',
      'if-match': '*',
    },
    body: JSON.stringify(changes),
  });
  if (response.status !== 204) throw new Error(`PATCH ${path}: ${response.status} ${await response.text()}`);
}

export interface CreatedInvoice {
  invoiceNumber: string;
  invoiceId: string;
  /** The `invoicedetails` ids, in line order. */
  detailIds: string[];
}

/**
 * A fresh agreement invoice of agreement AGR-00001 in the Field Service sandbox, as agreement
 * invoicing generates it, numbered uniquely so tests never share a workflow.
 */
export async function createAgreementInvoice(
  stack: Stack,
  invoice: { customer: string; invoiceDate: string; lines: InvoiceLine[] },
): Promise<CreatedInvoice> {
  const invoiceNumber = `INV-T${randomUUID().slice(0, 8).toUpperCase()}`;
  const { value: currencies } = await stack.dataverse<{ value: { transactioncurrencyid: string }[] }>(
    "transactioncurrencies?$filter=isocurrencycode eq 'USD'",
  );
  const invoiceId = await stack.createInDataverse('invoices', {
    name: `AGR-00001 ${invoiceNumber}`,
    invoicenumber: invoiceNumber,
    'customerid_account@odata.bind': `/accounts(accountnumber='${invoice.customer}')`,
    'msdyn_agreement@odata.bind': `/msdyn_agreements(msdyn_name='AGR-00001')`,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currencies[0]!.transactioncurrencyid})`,
    msdynce_invoicedate: invoice.invoiceDate,
    msdynce_haslineswithagreementorigin: invoice.lines.some((line) => line.agreementOrigin !== false),
  });
  const detailIds: string[] = [];
  for (const [index, line] of invoice.lines.entries()) {
    detailIds.push(
      await stack.createInDataverse('invoicedetails', {
        productdescription: line.description,
        lineitemnumber: index + 1,
        quantity: line.quantity,
        priceperunit: line.price,
        baseamount: line.quantity * line.price,
        extendedamount: line.quantity * line.price,
        msdynce_hasagreementorigin: line.agreementOrigin !== false,
        'invoiceid@odata.bind': `/invoices(${invoiceId})`,
        'productid@odata.bind': `/products(productnumber='${line.product}')`,
      }),
    );
  }
  return { invoiceNumber, invoiceId, detailIds };
}
