import type { Client, WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import type { Config } from '../../config/config';
import type { workOrderInvoicing } from '../../workflows';
import type { Stack } from '../support/stack';
export { waitForStage } from '../support/work-order-stage';

export type Handle = WorkflowHandle<typeof workOrderInvoicing>;

export const uniqueNumber = (prefix = 'WO-B') => `${prefix}${randomUUID().slice(0, 8).toUpperCase()}`;

export async function start(client: Client, config: Config, workOrderNumber: string): Promise<Handle> {
  await startWorkOrder(client, config, workOrderNumber);
  return client.workflow.getHandle(workOrderWorkflowId(workOrderNumber));
}

/** The F&O sales order headers numbered like the work order (empty when nothing was written). */
export async function salesOrdersOf(stack: Stack, workOrderNumber: string): Promise<unknown[]> {
  const { value } = await stack.finance<{ value: unknown[] }>(
    `CDSSalesOrderHeaders?$filter=SalesOrderNumber eq '${encodeURIComponent(workOrderNumber.replaceAll("'", "''"))}'`,
  );
  return value;
}

/** The message a refused update (or a failed promise) carries, from its cause when it has one. */
export async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected a refusal, but it was accepted');
}

/** Settles a promise into a value a test can await later without an unhandled rejection meanwhile. */
export function settle<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

export async function idOf(stack: Stack, entitySet: string, filter: string, key: string): Promise<string> {
  const { value } = await stack.dataverse<{ value: Record<string, string>[] }>(
    `${entitySet}?$filter=${filter}&$select=${key}`,
  );
  const id = value[0]?.[key];
  if (!id) throw new Error(`no ${entitySet} where ${filter}`);
  return id;
}

/** A product in Field Service only; `externallyMaintained` says whether F&O is meant to master it. */
export async function createProduct(
  stack: Stack,
  externallyMaintained: boolean,
  productNumber: string | null = uniqueNumber('P-B'),
): Promise<{ id: string; number: string | null }> {
  const number = productNumber;
  const ea = await idOf(stack, 'uoms', "msdyn_symbol eq 'ea'", 'uomid');
  const id = await stack.createInDataverse('products', {
    name: `Bad-input product ${number}`,
    ...(number === null ? {} : { productnumber: number }),
    price: 10,
    producttypecode: 1,
    msdyn_fieldserviceproducttype: 690970001, // Non-Inventory: no warehouse needed
    msdynce_isexternallymaintained: externallyMaintained,
    quantitydecimal: 2,
    'defaultuomid@odata.bind': `/uoms(${ea})`,
  });
  return { id, number };
}
