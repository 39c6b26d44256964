import { enumMember, eq } from '../../../connectors';
import { CustomerInvoiceOriginType, freeTextInvoiceHeaders } from '../../../connectors/entities/finance';
import type { ProjectTask } from '../../../mappings/project/merge';
import { driftMaker } from '../document-drift';
import type { Drift } from '../drift';
import type { JoinContext } from '../join';
import { allOf, keyAfter, type KeyedReader } from '../keyed-pages';
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

/** Free text invoices of this integration's origin, by `ExternalInvoiceId`. */
export function freeTextInvoicesOf(context: JoinContext, origin: Origin): KeyedReader<FreeTextInvoiceKey> {
  const ours = eq('InvoiceOriginType', enumMember(CustomerInvoiceOriginType, origin));
  return {
    read: (after, top) =>
      context.finance.query(freeTextInvoiceHeaders, {
        filter: allOf(ours, keyAfter('ExternalInvoiceId', after)),
        select: ['ExternalInvoiceId', 'IsPosted', 'InvoiceNumber'],
        orderBy: ['ExternalInvoiceId'],
        top,
      }) as AsyncIterable<FreeTextInvoiceKey>,
    keyOf: (header) => header.ExternalInvoiceId,
  };
}

/**
 * A free text invoice this integration wrote whose Field Service invoice no longer exists
 * (`ExternalInvoiceId` is the invoice number).
 */
export function freeTextInvoiceWithoutInvoice(header: FreeTextInvoiceKey): Drift {
  const posted = header.IsPosted === 'Yes';
  return driftMaker(JOIN_NAME, undefined)(
    'orphan',
    'F&O free text invoice',
    header.ExternalInvoiceId,
    {
      fieldService: null,
      finance: {
        ExternalInvoiceId: header.ExternalInvoiceId,
        IsPosted: header.IsPosted ?? null,
        InvoiceNumber: header.InvoiceNumber ?? null,
      },
    },
    `F&O free text invoice ${header.ExternalInvoiceId}` +
      (posted ? ` (posted as ${header.InvoiceNumber})` : '') +
      ` was written by this integration for invoice ${header.ExternalInvoiceId}, which no longer exists in Field Service.`,
    personFix(
      posted
        ? `Credit ${header.InvoiceNumber} in F&O if the agreement work should not be billed.`
        : `Delete free text invoice ${header.ExternalInvoiceId} in F&O, or post it there if the agreement work should be billed.`,
    ),
  );
}
