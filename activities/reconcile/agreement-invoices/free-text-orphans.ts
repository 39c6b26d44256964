import { and, enumMember, eq, gt } from '../../../connectors';
import { invoices } from '../../../connectors/entities/dataverse';
import { CustomerInvoiceOriginType, freeTextInvoiceHeaders } from '../../../connectors/entities/finance';
import type { ProjectTask } from '../../../mappings/project/merge';
import { keyFilters } from '../../key-filters';
import type { Drift } from '../drift';
import type { JoinContext } from '../join';
import { personFix } from '../repairs';
import { JOIN_NAME } from './evaluate';

export interface FreeTextInvoiceKey {
  ExternalInvoiceId: string;
  IsPosted?: string;
  InvoiceNumber?: string;
}

type Origin = (typeof CustomerInvoiceOriginType.members)[number];

/**
 * The origin the project's header task gives the free text invoices it writes (the template:
 * AgreementInvoiceIntegration); undefined when it maps none, and then this integration's free text
 * invoices cannot be told from others.
 */
export function freeTextInvoiceOrigin(header: ProjectTask): Origin | undefined {
  const constant = header.fieldMaps.find((map) => map.target === 'InvoiceOriginType')?.constant;
  return CustomerInvoiceOriginType.members.find((member) => member === constant);
}

/** Free text invoices of this integration's origin with an `ExternalInvoiceId` after `after`, in order. */
export async function freeTextInvoicesAfter(
  context: JoinContext,
  origin: Origin,
  after: string,
  limit: number,
): Promise<FreeTextInvoiceKey[]> {
  const ours = eq('InvoiceOriginType', enumMember(CustomerInvoiceOriginType, origin));
  const found: FreeTextInvoiceKey[] = [];
  for await (const header of context.finance.query(freeTextInvoiceHeaders, {
    filter: after === '' ? ours : and(ours, gt('ExternalInvoiceId', after)),
    select: ['ExternalInvoiceId', 'IsPosted', 'InvoiceNumber'],
    orderBy: ['ExternalInvoiceId'],
    top: limit,
  })) {
    found.push(header as FreeTextInvoiceKey);
  }
  return found;
}

/**
 * The other way round: free text invoices this integration wrote whose Field Service invoice no longer
 * exists. `ExternalInvoiceId` is the invoice number, looked up in Field Service 50 at a time.
 */
export async function freeTextInvoiceOrphans(
  context: JoinContext,
  headers: readonly FreeTextInvoiceKey[],
): Promise<Drift[]> {
  const existing = new Set<string>();
  for (const filter of keyFilters(
    'invoicenumber',
    headers.map((header) => header.ExternalInvoiceId),
  )) {
    for await (const row of context.dataverse.query(invoices, { select: ['invoicenumber'], filter })) {
      existing.add(row.invoicenumber.toLowerCase());
    }
  }
  return headers
    .filter((header) => !existing.has(header.ExternalInvoiceId.toLowerCase()))
    .map((header): Drift => {
      const posted = header.IsPosted === 'Yes';
      return {
        class: 'orphan',
        join: JOIN_NAME,
        document: 'F&O free text invoice',
        key: header.ExternalInvoiceId,
        fieldService: null,
        finance: {
          ExternalInvoiceId: header.ExternalInvoiceId,
          IsPosted: header.IsPosted ?? null,
          InvoiceNumber: header.InvoiceNumber ?? null,
        },
        workflow: null,
        message:
          `F&O free text invoice ${header.ExternalInvoiceId}` +
          (posted ? ` (posted as ${header.InvoiceNumber})` : '') +
          ` was written by this integration for invoice ${header.ExternalInvoiceId}, which no longer exists in Field Service.`,
        fix: personFix(
          posted
            ? `Credit ${header.InvoiceNumber} in F&O if the agreement work should not be billed.`
            : `Delete free text invoice ${header.ExternalInvoiceId} in F&O, or post it there if the agreement work should be billed.`,
        ),
      };
    });
}
