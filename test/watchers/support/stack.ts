import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Config } from '../../../config/config';
import { type Connectors, createConnectors } from '../../../connectors';
import { workOrders, WorkOrderSystemStatus } from '../../../connectors/entities/dataverse';
import { salesOrderHeaders, salesOrderLines } from '../../../connectors/entities/finance';
import { eq } from '../../../connectors/odata/filter';
import { startSandboxes, type RunningSandboxes } from '../../../sandboxes';
import { configFor } from '../../support/stack';

export interface SandboxStack {
  sandboxes: RunningSandboxes;
  /** The product's configuration pointed at the sandboxes and the test server, with a task queue of its own. */
  config: Config;
  connectors: Connectors;
  createWorkOrder(name: string, status?: number): Promise<void>;
  /** Changes a work order in Field Service, which moves its `modifiedon`. */
  touchWorkOrder(name: string): Promise<void>;
  /** A sales order with one line in F&O (usmf), as the work order workflow would write it. */
  createSalesOrder(salesOrderNumber: string): Promise<void>;
  /** An F&O user posts the sales order's invoice, dated `invoiceDate` or today; returns the invoice number. */
  postInvoice(salesOrderNumber: string, invoiceDate?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startSandboxStack(taskQueuePrefix: string): Promise<SandboxStack> {
  const sandboxes = await startSandboxes();
  // F&O's demo customers and products; Field Service stays empty, each test adds its work orders.
  await fetch(`${sandboxes.urls.finance}/_sandbox/seed`, { method: 'POST' });
  const config = configFor(sandboxes, taskQueuePrefix);
  const connectors = createConnectors(config);
  const idOf = async (name: string) => {
    for await (const row of connectors.dataverse.query(workOrders, { filter: eq('msdyn_name', name) })) {
      return row.msdyn_workorderid;
    }
    throw new Error(`no work order ${name}`);
  };
  return {
    sandboxes,
    config,
    connectors,
    async createWorkOrder(name, status = WorkOrderSystemStatus.OpenCompleted) {
      await connectors.dataverse.create(workOrders, { msdyn_name: name, msdyn_systemstatus: status });
    },
    async touchWorkOrder(name) {
      const id = await idOf(name);
      await connectors.dataverse.update(workOrders, id, { msdyn_address1: `changed ${Date.now()}` }, '*');
    },
    async createSalesOrder(salesOrderNumber) {
      await connectors.finance.create(salesOrderHeaders, {
        SalesOrderNumber: salesOrderNumber,
        OrderingCustomerAccountNumber: 'US-001',
        CurrencyCode: 'USD',
      });
      await connectors.finance.create(salesOrderLines, {
        SalesOrderNumber: salesOrderNumber,
        LineCreationSequenceNumber: 1,
        ProductNumber: 'P-1000',
        OrderedSalesQuantity: 2,
        SalesPrice: 45,
      });
    },
    async postInvoice(salesOrderNumber, invoiceDate) {
      const response = await fetch(
        `${sandboxes.urls.finance}/_sandbox/sales-orders/usmf/${encodeURIComponent(salesOrderNumber)}/post-invoice`,
        { method: 'POST', body: JSON.stringify(invoiceDate ? { invoiceDate } : {}) },
      );
      if (!response.ok) throw new Error(`post-invoice: HTTP ${response.status} ${await response.text()}`);
      return ((await response.json()) as { InvoiceNumber: string }).InvoiceNumber;
    },
    close: () => sandboxes.close(),
  };
}

/** The names of the signals a workflow received, in order. */
export async function signalsOf(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((event) =>
    event.workflowExecutionSignaledEventAttributes?.signalName
      ? [event.workflowExecutionSignaledEventAttributes.signalName]
      : [],
  );
}

/** The inputs of the signals of one name a workflow received, in order. */
export async function signalInputs(client: Client, handle: WorkflowHandle, name: string): Promise<unknown[]> {
  const history = await handle.fetchHistory();
  const converter = client.options.loadedDataConverter.payloadConverter;
  return (history.events ?? []).flatMap((event) => {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName !== name) return [];
    return (signal.input?.payloads ?? []).map((payload) => converter.fromPayload(payload));
  });
}
