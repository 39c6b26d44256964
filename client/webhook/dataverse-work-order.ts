import { z } from 'zod';
import { fieldServiceDecision } from '../../activities/watchers/field-service-decision';
import { isCanceledWorkOrder } from '../../activities/watchers/header-filter';
import { workOrderNumberSchema } from '../starters/work-order';
import { parseBody } from './http';
import type { ReportedWorkOrder } from './work-order-lookup';

const WORK_ORDER_TABLE = 'msdyn_workorder';
/** The integration solution's column a service manager sets to approve or reject invoicing. */
const DECISION_COLUMN = 'fsfo_invoicingdecision';

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
  /** The user the write acted as (the impersonated user, when the caller named one). */
  InitiatingUserId: z.guid().optional(),
  InputParameters: z.array(parameter(z.unknown())).default([]),
  PostEntityImages: z.array(parameter(entity)).default([]),
});

/** A date as the data contract serializer writes it: `/Date(<ms since 1970, UTC>[±hhmm])/`. */
const contractDate = z
  .string()
  .regex(/^\/Date\(-?\d+([+-]\d{4})?\)\/$/)
  .transform((text) => new Date(Number(/-?\d+/.exec(text)![0])).toISOString());

/**
 * A post image that tells the work order's state after the write without reading it: its number, status,
 * version number (its ETag is `W/"<versionnumber>"`), `modifiedon` and the decision on invoicing (a null
 * column is left out of an image), taken by `userId` when the write set it.
 */
const writtenWorkOrder = (userId: string | undefined) =>
  z
    .object({
      msdyn_name: workOrderNumberSchema,
      msdyn_systemstatus: z.looseObject({ Value: z.number().int() }),
      versionnumber: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
      modifiedon: contractDate,
      fsfo_invoicingdecision: z.looseObject({ Value: z.number().int() }).optional(),
      fsfo_invoicingdecisionreason: z.string().optional(),
    })
    .transform((image): ReportedWorkOrder => {
      const msdyn_systemstatus = image.msdyn_systemstatus.Value;
      const decision = fieldServiceDecision(
        {
          msdyn_systemstatus,
          fsfo_invoicingdecision: image.fsfo_invoicingdecision?.Value,
          fsfo_invoicingdecisionreason: image.fsfo_invoicingdecisionreason,
        },
        userId,
      );
      return {
        workOrderNumber: image.msdyn_name,
        canceled: isCanceledWorkOrder({ msdyn_systemstatus }),
        notice: { etag: `W/"${String(image.versionnumber)}"`, modifiedOn: image.modifiedon, decision },
      };
    });

/** What Power Automate (or any simple caller) posts. */
const simpleBody = z.strictObject({ workOrderNumber: workOrderNumberSchema });

/** The work order the request is about: its number when the body carries it, else its id. */
export type WorkOrderReference = { number: string } | { id: string };

/** A work order event: the work order it is about and, when a post image describes the row as written, that. */
export interface WorkOrderEvent {
  reference: WorkOrderReference;
  written?: ReportedWorkOrder;
}

const attributesOf = (candidate: z.infer<typeof entity>) =>
  Object.fromEntries(candidate.Attributes.map(({ key, value }) => [key, value]));

/**
 * Reads either body; a malformed one is a 400 naming every problem. A post image without all that
 * `writtenWorkOrder` needs (a step registered by hand, say) only names the work order.
 */
export function workOrderEvent(body: unknown): WorkOrderEvent {
  if (typeof body === 'object' && body !== null && 'workOrderNumber' in body) {
    return { reference: { number: parseBody(simpleBody, body).workOrderNumber } };
  }
  const context = parseBody(remoteExecutionContext, body);
  const images = context.PostEntityImages.map((image) => image.value);
  const target = context.InputParameters.find((p) => p.key === 'Target')?.value;
  // Only the write that set the decision is its author's; a later one (a line moving a total) is someone else's.
  const targetAttributes = entity.safeParse(target);
  const decidedBy =
    targetAttributes.success && DECISION_COLUMN in attributesOf(targetAttributes.data)
      ? context.InitiatingUserId
      : undefined;
  for (const image of images) {
    const written = writtenWorkOrder(decidedBy).safeParse(attributesOf(image));
    if (written.success) {
      return { reference: { number: written.data.workOrderNumber }, written: written.data };
    }
  }
  for (const candidate of [target, ...images]) {
    const attributes = entity.safeParse(candidate);
    if (!attributes.success) continue;
    const number = workOrderNumberSchema.safeParse(attributesOf(attributes.data).msdyn_name);
    if (number.success) return { reference: { number: number.data } };
  }
  return { reference: { id: context.PrimaryEntityId } };
}
