import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { applyWatcherSchedules } from '../../client/schedules';
import { projectSyncs } from '../../client/sync-schedules';
import { loadConfig } from '../../config/config';
import { loadMappingProject } from '../../mappings/project/loader';
import { connectToTestServer } from '../support/temporal';
import { connectorCatalog } from '../../connectors/entities/catalog';

// A project built from two templates: the worker runs their syncs, and only the other flows stop.
const file = 'test/mappings/fixtures/products-and-customers.yaml';
const project = loadMappingProject(file, connectorCatalog());
const config = loadConfig({ MAPPING_PROJECT: file });

test('a worker runs a project that has only some templates; a flow without its template says which to add', async () => {
  const activities = createActivities(config, project);

  const failure = await activities
    .syncSalesOrder({ workOrderNumber: 'WO-00001', approved: false })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({
    type: 'MappingProjectIncomplete',
    nonRetryable: true,
    message:
      'mapping project products-and-customers has no work order header task: the work order flow needs the ' +
      'templates work-orders-to-sales-orders and sales-invoices-to-field-service in its extends',
  });
  await expect(activities.loadAgreementInvoice('INV-1')).rejects.toMatchObject({
    type: 'MappingProjectIncomplete',
    message: expect.stringContaining('agreement-invoices-to-free-text-invoices'),
  });
  await expect(activities.loadInventoryDocument({ kind: 'transfer', name: 'TR-1' })).rejects.toMatchObject({
    message: expect.stringContaining('inventory-transfers-to-finance'),
  });
  await expect(activities.loadPurchaseOrder('PO-1')).rejects.toMatchObject({
    message: expect.stringContaining('purchase-orders-to-finance and product-receipts-to-field-service'),
  });

  expect([...projectSyncs(config, project).keys()]).toEqual(['products', 'customers']);
});

test('without the work order template no watcher schedule is created', async () => {
  let env: TestWorkflowEnvironment | undefined;
  try {
    env = await connectToTestServer();
    expect(
      await applyWatcherSchedules(env.client, config, project, { every: '1 hour', since: new Date() }),
    ).toEqual({});
  } finally {
    await env?.teardown();
  }
});
