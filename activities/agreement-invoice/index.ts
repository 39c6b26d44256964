import type { Connectors } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { withFailureTranslation } from '../business-failure';
import { ReferenceData } from '../reference-data';
import { RelatedRecordReader } from '../related-records';
import { ensureInFinance } from '../work-order/master-data';
import { tasksWhenUsed } from '../tasks-when-used';
import { agreementInvoiceTasks } from './agreement-invoice-tasks';
import type { AgreementInvoiceActivities } from './contract';
import { upsertFreeTextInvoice } from './free-text-invoice';
import { loadAgreementInvoice } from './load-agreement-invoice';
import { findFreeTextInvoicePosting, recordFreeTextInvoicePosting } from './posting';

/** The agreement invoice workflow's activities, bound to the Dynamics 365 clients and the mapping project. */
export function createAgreementInvoiceActivities(
  { dataverse, finance }: Connectors,
  project: MappingProject,
) {
  const tasks = tasksWhenUsed(
    project,
    { name: 'agreement invoice', templates: ['agreement-invoices-to-free-text-invoices'] },
    agreementInvoiceTasks,
  );
  const related = new RelatedRecordReader(dataverse, new ReferenceData(dataverse));

  return {
    loadAgreementInvoice: (invoiceNumber) =>
      withFailureTranslation(`Invoice ${invoiceNumber}`, () =>
        loadAgreementInvoice({ dataverse, related, tasks: tasks() }, invoiceNumber),
      ),

    ensureAgreementInvoiceCustomer: (snapshot) =>
      withFailureTranslation(`Customer of invoice ${snapshot.invoiceNumber}`, async () => {
        const { customers } = tasks();
        if (customers) {
          await ensureInFinance(finance, customers, snapshot.records.customers, (key) => `customer ${key}`);
        }
      }),

    upsertFreeTextInvoice: (snapshot) =>
      withFailureTranslation(`Free text invoice of invoice ${snapshot.invoiceNumber}`, () =>
        upsertFreeTextInvoice(finance, tasks(), snapshot),
      ),

    findFreeTextInvoicePosting: (externalInvoiceId) =>
      withFailureTranslation(`Posting of free text invoice ${externalInvoiceId}`, () =>
        findFreeTextInvoicePosting(finance, externalInvoiceId),
      ),

    recordFreeTextInvoicePosting: ({ invoiceId, postedAs }) =>
      withFailureTranslation(`Recording free text invoice ${postedAs}`, () =>
        recordFreeTextInvoicePosting(dataverse, invoiceId, postedAs),
      ),
  } satisfies AgreementInvoiceActivities;
}
