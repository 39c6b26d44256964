import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { FinancePurchaseOrder, PurchaseOrderActivities } from '../../activities/purchase-order/contract';
import { findOrInstallTemporal } from '../../scripts/temporal-cli';
import { purchaseOrderSync } from '../../workflows';
import { statusQuery } from '../../workflows/purchase-order/messages';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { bundleWorkflows } from '../support/temporal';

// Time skipping is global to a test server, so this file has a Java time-skipping server of its own.
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const path = findOrInstallTemporal('test-server');
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
});
afterAll(() => env?.teardown());

/** F&O and Field Service without I/O: F&O's order is whatever the test makes it. */
class FakeSystems {
  order: Omit<FinancePurchaseOrder, 'purchaseOrderNumber'> = {
    approvalStatus: 'Draft',
    orderStatus: 'Backorder',
    totalAmount: 36,
    modifiedOn: '2026-01-01T00:00:00Z',
    header: {},
    lines: [{ LineNumber: 1 }],
    receipts: [],
  };
  financeReads = 0;
  indexLookups = 0;
  recorded: number[] = [];
  #changes = 0;

  /** F&O stamps every change to the order. */
  change(apply: () => void): void {
    apply();
    this.order.modifiedOn = new Date(Date.UTC(2026, 0, 1, 0, 0, ++this.#changes)).toISOString();
  }

  activities(): PurchaseOrderActivities {
    return {
      loadPurchaseOrder: async (purchaseOrderNumber) => ({
        orderId: '00000000-0000-4000-8000-000000000001',
        purchaseOrderNumber,
        vendorAccount: 'V-1000',
        problems: [],
        owned: { header: {}, lines: {} },
        records: { header: { record: {} }, lines: {} },
      }),
      syncPurchaseOrderToFinance: async () => 'created',
      readFinancePurchaseOrder: async (purchaseOrderNumber) => {
        this.financeReads++;
        return { purchaseOrderNumber, ...structuredClone(this.order) };
      },
      hasFinancePurchaseOrderChanged: async ({ modifiedOn }) => {
        this.indexLookups++;
        return this.order.modifiedOn > modifiedOn;
      },
      updateFieldServicePurchaseOrder: async ({ synced }) => synced,
      recordProductReceipt: async ({ receipt }) => {
        this.recorded.push(receipt.recordId);
        return 'recorded';
      },
    };
  }

  receive(recordId: number, orderStatus: string): void {
    this.change(() => {
      this.order.receipts.push({ recordId, receiptNumber: `PR-${recordId}`, header: {}, lines: [] });
      this.order.orderStatus = orderStatus;
    });
  }
}

test('without any signal, a daily re-check of the shared index follows F&O: approval on day 10, a partial receipt on day 20, the rest on day 40', async () => {
  const systems = new FakeSystems();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'purchase-order-long-wait',
    workflowBundle: await bundleWorkflows(),
    activities: systems.activities(),
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(purchaseOrderSync, {
      workflowId: 'purchase-order-PO-LONG',
      taskQueue: 'purchase-order-long-wait',
      args: [{ purchaseOrderNumber: 'PO-LONG', legalEntity: 'usmf' }],
    });
    while ((await handle.query(statusQuery)).stage !== 'AwaitingFinanceApproval') await env.sleep('1 second');

    await env.sleep('10 days');
    systems.change(() => (systems.order.approvalStatus = 'Approved'));
    await env.sleep('10 days');
    expect((await handle.query(statusQuery)).stage).toBe('AwaitingReceipt');
    systems.receive(1, 'Backorder');
    await env.sleep('20 days');
    expect((await handle.query(statusQuery)).recordedReceipts).toEqual([1]);
    systems.receive(2, 'Received');
    const result = await handle.result();

    expect(result).toMatchObject({ stage: 'Received', recordedReceipts: [1, 2] });
    expect(systems.recorded).toEqual([1, 2]);
    // One look-up a day in the shared index while waiting, F&O read only when it changed: no hot loop.
    expect(systems.indexLookups).toBeGreaterThanOrEqual(40);
    expect(systems.indexLookups).toBeLessThanOrEqual(42);
    expect(systems.financeReads).toBe(4);
  });
});
