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
  const { value } = await stack.dataverse<{ value: { msdyn_workorderid: string }[] }>(
    `msdyn_workorders?$filter=msdyn_name eq '${number}'&$select=msdyn_workorderid`,
  );
  const id = value[0]!.msdyn_workorderid;
  const read = async () =>
    (
      await stack.dataverse<{ msdyn_systemstatus: number }>(
        `msdyn_workorders(${id})?$select=msdyn_systemstatus`,
      )
    ).msdyn_systemstatus;
  return { number, id, status: read };
}

test('an approved work order is closed as posted', async () => {
  const { dataverse } = createConnectors(stack.config);
  const order = await workOrder(SystemStatus.Completed);
  await closeWorkOrder(dataverse, order.id, order.number);
  expect(await order.status()).toBe(SystemStatus.Posted);
});

test('a work order cancelled after the approval stays cancelled, with a reason a person can act on', async () => {
  const { dataverse } = createConnectors(stack.config);
  const order = await workOrder(SystemStatus.Canceled);
  const failure = await closeWorkOrder(dataverse, order.id, order.number).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({
    type: 'WorkOrderCanceled',
    nonRetryable: true,
    message: expect.stringContaining(`Work order ${order.number} was cancelled in Field Service`),
  });
  expect(await order.status()).toBe(SystemStatus.Canceled);
});
