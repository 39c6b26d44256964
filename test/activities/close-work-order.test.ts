import { ApplicationFailure } from '@temporalio/common';
import { closeWorkOrder } from '../../activities/work-order/work-order-status';
import { createConnectors } from '../../connectors';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('close-work-order');
});
afterAll(() => stack?.close());

async function workOrder(status: number) {
  const number = await createWorkOrder(stack, { status });
  const { value } = await stack.dataverse<{ value: { msdyn_workorderid: string; '@odata.etag': string }[] }>(
    `msdyn_workorders?$filter=msdyn_name eq '${number}'&$select=msdyn_workorderid`,
  );
  const { msdyn_workorderid: id, '@odata.etag': etag } = value[0]!;
  const read = async () =>
    (
      await stack.dataverse<{ msdyn_systemstatus: number }>(
        `msdyn_workorders(${id})?$select=msdyn_systemstatus`,
      )
    ).msdyn_systemstatus;
  return { workOrderNumber: number, workOrderId: id, etag, status: read };
}

test('an approved work order is closed as posted, and the ETag after the write is returned', async () => {
  const { dataverse } = createConnectors(stack.config);
  const order = await workOrder(SystemStatus.Completed);
  const etag = await closeWorkOrder(dataverse, order);
  expect(await order.status()).toBe(SystemStatus.Posted);
  const after = await stack.dataverse<{ '@odata.etag': string }>(
    `msdyn_workorders(${order.workOrderId})?$select=msdyn_systemstatus`,
  );
  expect(etag).toBe(after['@odata.etag']);
});

test('a work order changed since its ETag was read is closed all the same, unless cancelled', async () => {
  const { dataverse } = createConnectors(stack.config);
  const order = await workOrder(SystemStatus.Completed);
  await stack.updateInDataverse(`msdyn_workorders(${order.workOrderId})`, {
    msdyn_instructions: 'ring twice',
  });
  await closeWorkOrder(dataverse, order);
  expect(await order.status()).toBe(SystemStatus.Posted);
});

test('a work order cancelled after the approval stays cancelled, with a reason a person can act on', async () => {
  const { dataverse } = createConnectors(stack.config);
  const order = await workOrder(SystemStatus.Completed); // as the approver saw it
  await stack.updateInDataverse(`msdyn_workorders(${order.workOrderId})`, {
    msdyn_systemstatus: SystemStatus.Canceled,
  });
  const failure = await closeWorkOrder(dataverse, order).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({
    type: 'WorkOrderCanceled',
    nonRetryable: true,
    message: expect.stringContaining(`Work order ${order.workOrderNumber} was cancelled in Field Service`),
  });
  expect(await order.status()).toBe(SystemStatus.Canceled);
});
