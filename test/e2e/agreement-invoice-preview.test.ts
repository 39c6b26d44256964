import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { registerAgreementInvoiceCommands } from '../../client/commands/agreement-invoice';
import { createAgreementInvoice } from '../agreement-invoice/field-service-invoices';
import { startStack, type Stack } from '../support/stack';
import { connectToTestServer } from '../support/temporal';
import { runCli } from '../support/cli';

// Preview of an agreement invoice nothing has synced yet: what F&O would get, and nothing written.
let env: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startStack('e2e-agreement-preview');
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

/** Runs `fsfo agreement-invoice ...` in process. */
const fsfo = (...args: string[]) =>
  runCli(registerAgreementInvoiceCommands, stack.config, 'agreement-invoice', args);

test('preview of an agreement invoice shows the free text invoice, its new customer and the writes, and writes nothing', async () => {
  const customer = `US-T${randomUUID().slice(0, 6).toUpperCase()}`;
  await stack.createInDataverse('accounts', {
    name: `Agreement customer ${customer}`,
    accountnumber: customer,
  });
  const invoice = await createAgreementInvoice(stack, {
    customer,
    invoiceDate: '2026-02-28',
    lines: [
      { product: 'P-2000', description: 'Filter kit', quantity: 1, price: 12 },
      { product: 'S-3000', description: 'Maintenance visit', quantity: 2, price: 80 },
      { product: 'P-1000', description: 'Extra part', quantity: 1, price: 45, agreementOrigin: false },
    ],
  });
  for (const service of ['dataverse', 'finance'] as const) {
    await stack.control(service, 'stats', undefined, 'DELETE');
  }

  const preview = await fsfo('preview', invoice.invoiceNumber);
  expect(preview.stderr).toBe('');
  const id = invoice.invoiceNumber;
  expect(preview.stdout).toContain(
    `Invoice ${id} → F&O free text invoice ${id} (CDSFreeTextInvoiceHeaders, company usmf), total 172.00`,
  );
  expect(preview.stdout).toMatch(new RegExp(`Header: .*CustomerAccount ${customer}.*CurrencyCode USD`));
  expect(preview.stdout).toMatch(/Line 1: .*Description Filter kit.*Quantity 1.*UnitPrice 12/);
  expect(preview.stdout).toMatch(/Line 2: .*Description Maintenance visit.*Quantity 2.*UnitPrice 80/);
  expect(preview.stdout).not.toContain('Line 3');
  expect(preview.stdout).toContain(`F&O has no free text invoice ${id}: a sync creates it.`);
  const requests = preview.stdout.split('\n').filter((line) => /change set\]$/.test(line));
  expect(requests.map((line) => line.trim().replace(/\s+/g, ' '))).toEqual([
    `POST CustomersV3(CustomerAccount=${customer}) [customer change set]`,
    `POST CDSFreeTextInvoiceHeaders(ExternalInvoiceId=${id}) [free text invoice change set]`,
    `POST CDSFreeTextInvoiceLines(ExternalInvoiceId=${id},LineNumber=1) [free text invoice change set]`,
    `POST CDSFreeTextInvoiceLines(ExternalInvoiceId=${id},LineNumber=2) [free text invoice change set]`,
  ]);

  // Only GETs reached the services, and no workflow of the invoice exists.
  for (const service of ['dataverse', 'finance'] as const) {
    const stats = (await (await stack.control(service, 'stats', undefined, 'GET')).json()) as {
      byMethod: Record<string, number>;
    };
    expect(Object.keys(stats.byMethod)).toEqual(['GET']);
  }
  const { value: customers } = await stack.finance<{ value: unknown[] }>(
    `CustomersV3?$filter=CustomerAccount eq '${customer}'`,
  );
  expect(customers).toEqual([]);
  const workflows = await env.client.workflow.count(`WorkflowId = "agreement-invoice-${id}"`);
  expect(workflows.count).toBe(0);
});
