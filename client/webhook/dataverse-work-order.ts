import { z } from 'zod';
import { workOrderNumberSchema } from '../starters/work-order';
import { parseBody } from './http';

const WORK_ORDER_TABLE = 'msdyn_workorder';

/** A Dataverse entity as serialized in a webhook: attributes as `{ key, value }` pairs. */
const entity = z.looseObject({
  Attributes: z.array(z.looseObject({ key: z.string(), value: z.unknown() })).default([]),
});
const parameter = <T extends z.ZodType>(value: T) => z.looseObject({ key: z.string(), value });

/** The `RemoteExecutionContext` a Dataverse webhook step posts, reduced to what identifies the row. */
const remoteExecutionContext = z.looseObject({
  MessageName: z.string(),
  PrimaryEntityName: z.literal(WORK_ORDER_TABLE, {
    error: `the webhook step must be registered on the ${WORK_ORDER_TABLE} table`,
  }),
  PrimaryEntityId: z.guid({ error: 'PrimaryEntityId must be the work order id (a GUID)' }),
  InputParameters: z.array(parameter(z.unknown())).default([]),
  PostEntityImages: z.array(parameter(entity)).default([]),
});

/** What Power Automate (or any simple caller) posts. */
const simpleBody = z.strictObject({ workOrderNumber: workOrderNumberSchema });

/** The work order the request is about: its number when the body carries it, else its id. */
export type WorkOrderReference = { number: string } | { id: string };

/** Reads either body; a malformed one is a 400 naming every problem. */
export function workOrderReference(body: unknown): WorkOrderReference {
  if (typeof body === 'object' && body !== null && 'workOrderNumber' in body) {
    return { number: parseBody(simpleBody, body).workOrderNumber };
  }
  const context = parseBody(remoteExecutionContext, body);
  const target = context.InputParameters.find((p) => p.key === 'Target')?.value;
  const images = context.PostEntityImages.map((image) => image.value);
  for (const candidate of [target, ...images]) {
    const attributes = entity.safeParse(candidate);
    if (!attributes.success) continue;
    const name = attributes.data.Attributes.find((attribute) => attribute.key === 'msdyn_name')?.value;
    const number = workOrderNumberSchema.safeParse(name);
    if (number.success) return { number: number.data };
  }
  return { id: context.PrimaryEntityId };
}
