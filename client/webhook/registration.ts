import { z } from 'zod';
import { and, eq, guid, type DataverseClient, type Filter } from '../../connectors';
import type { DataverseTable } from '../../connectors/entities/dataverse';
import {
  ImageMessageProperty,
  ImageType,
  processingStepImages,
  processingSteps,
  sdkMessageFilters,
  sdkMessages,
  ServiceEndpointAuthType,
  ServiceEndpointContract,
  ServiceEndpointMessageFormat,
  serviceEndpoints,
  StepMode,
  StepStage,
} from '../../connectors/entities/dataverse/plugin-registration';
import type { Secret } from '../../config/secret';
import type { MappingProject } from '../../mappings/project/merge';
import { WEBHOOK_KEY_HEADER } from './authorization';
import { workOrderStepAttributes } from './step-attributes';

/** The names the registration is found by: registering again updates these rows. */
export const ENDPOINT_NAME = 'fsfo work order webhook';
const WORK_ORDER_TABLE = 'msdyn_workorder';
export const WORK_ORDER_ROUTE = '/webhooks/dataverse/work-orders';
const STEP_MESSAGES = ['Create', 'Update'] as const;
type StepMessage = (typeof STEP_MESSAGES)[number];
export const stepName = (message: StepMessage) => `fsfo: ${message} of ${WORK_ORDER_TABLE}`;
/** The post image's name and alias on each step: the webhook finds the work order's number, status and version in it. */
const IMAGE_ALIAS = 'fsfo';
/**
 * What the webhook needs to act without reading the work order: which one, whether it is cancelled, and
 * its version (`W/"<versionnumber>"` is its ETag) and `modifiedon`, which its workflow compares with what it
 * last read or wrote; a service manager's decision on invoicing (the integration solution's columns).
 */
const IMAGE_ATTRIBUTES = [
  'msdyn_name',
  'msdyn_systemstatus',
  'versionnumber',
  'modifiedon',
  'fsfo_invoicingdecision',
  'fsfo_invoicingdecisionreason',
];

/** Whether a URL points at this machine: the only place plain http is accepted. */
export const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export const registrationSchema = z.object({
  /** The public URL of the endpoint's `/webhooks/dataverse/work-orders`. */
  url: z
    .url({ protocol: /^https?$/, error: 'the webhook URL must be an http(s) URL' })
    .refine((url) => new URL(url).protocol === 'https:' || isLoopback(new URL(url)), {
      error: 'the webhook URL must be https (http only on loopback)',
    })
    .refine((url) => new URL(url).pathname.endsWith(WORK_ORDER_ROUTE), {
      error: `the webhook URL must end with ${WORK_ORDER_ROUTE}, the endpoint's work order route`,
    }),
  /** The Update step's filtering attributes (column logical names). */
  updateAttributes: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
});
export type Registration = z.infer<typeof registrationSchema>;

export type RowOutcome = 'created' | 'updated';
export interface RegistrationOutcome {
  endpoint: RowOutcome;
  steps: Record<StepMessage, RowOutcome>;
  images: Record<StepMessage, RowOutcome>;
}

const escapeXml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;');

/** HttpHeader auth: Dataverse sends each setting as a request header. */
function headerAuthValue(key: Secret | undefined): string {
  const settings = key ? `<setting name="${WEBHOOK_KEY_HEADER}" value="${escapeXml(key.reveal())}"/>` : '';
  return `<settings>${settings}</settings>`;
}

async function first<T>(rows: AsyncIterable<T>): Promise<T | undefined> {
  for await (const row of rows) return row;
  return undefined;
}

async function messageAndFilter(dataverse: DataverseClient, message: StepMessage) {
  const sdkMessage = await first(dataverse.query(sdkMessages, { filter: eq('name', message), top: 1 }));
  if (!sdkMessage) throw new Error(`Dataverse has no message ${message}`);
  const filter = await first(
    dataverse.query(sdkMessageFilters, {
      filter: and(
        eq('primaryobjecttypecode', WORK_ORDER_TABLE),
        eq('_sdkmessageid_value', guid(sdkMessage.sdkmessageid)),
      ),
      top: 1,
    }),
  );
  if (!filter) throw new Error(`Dataverse has no ${message} message filter for ${WORK_ORDER_TABLE}`);
  return { messageId: sdkMessage.sdkmessageid, filterId: filter.sdkmessagefilterid };
}

/** Creates the row named `name` (among the rows `within` selects), or updates it when one exists; says which. */
async function createOrUpdate<S extends z.ZodObject>(
  dataverse: DataverseClient,
  table: DataverseTable<S>,
  name: string,
  values: Record<string, unknown>,
  /** Set on creation only (a step's message and table, an image's step, are fixed once registered). */
  createValues: Record<string, unknown> = {},
  within?: Filter,
): Promise<{ outcome: RowOutcome; id: string }> {
  const named = eq('name', name);
  const existing = await first(
    dataverse.query(table, {
      filter: within ? and(within, named) : named,
      top: 1,
      select: [table.primaryKey],
    }),
  );
  if (existing) {
    const id = String((existing as Record<string, unknown>)[table.primaryKey]);
    await dataverse.update(table, id, values, '*');
    return { outcome: 'updated', id };
  }
  const created = await dataverse.create(table, { name, ...values, ...createValues });
  return { outcome: 'created', id: String((created as Record<string, unknown>)[table.primaryKey]) };
}

/**
 * Registers the product's webhook in Dataverse, as the Plug-in Registration tool would: a webhook
 * service endpoint (JSON, the key in the `x-fsfo-webhook-key` header) and asynchronous post-operation
 * Create and Update steps on `msdyn_workorder`, the Update step filtered to `updateAttributes`, each with
 * a post image of `IMAGE_ATTRIBUTES`. Idempotent: rows are found by name (an image within its step) and updated.
 */
export async function registerWorkOrderWebhook(
  dataverse: DataverseClient,
  input: Registration,
  key: Secret | undefined,
): Promise<RegistrationOutcome> {
  const registration = registrationSchema.parse(input);
  const endpoint = await createOrUpdate(dataverse, serviceEndpoints, ENDPOINT_NAME, {
    contract: ServiceEndpointContract.Webhook,
    url: registration.url,
    authtype: ServiceEndpointAuthType.HttpHeader,
    authvalue: headerAuthValue(key),
    messageformat: ServiceEndpointMessageFormat.Json,
  });
  const steps = {} as Record<StepMessage, RowOutcome>;
  const images = {} as Record<StepMessage, RowOutcome>;
  for (const message of STEP_MESSAGES) {
    const { messageId, filterId } = await messageAndFilter(dataverse, message);
    const step = await createOrUpdate(
      dataverse,
      processingSteps,
      stepName(message),
      {
        description: `Tells the fsfo integration that a work order was ${message === 'Create' ? 'created' : 'changed'}`,
        stage: StepStage.PostOperation,
        mode: StepMode.Asynchronous,
        rank: 1,
        filteringattributes: message === 'Update' ? registration.updateAttributes.join(',') : null,
        asyncautodelete: true,
        statecode: 0,
        statuscode: 1,
        'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpoint.id})`,
      },
      {
        'sdkmessageid@odata.bind': `/sdkmessages(${messageId})`,
        'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${filterId})`,
      },
    );
    steps[message] = step.outcome;
    const image = await createOrUpdate(
      dataverse,
      processingStepImages,
      IMAGE_ALIAS,
      {
        entityalias: IMAGE_ALIAS,
        imagetype: ImageType.PostImage,
        attributes: IMAGE_ATTRIBUTES.join(','),
        messagepropertyname: ImageMessageProperty[message],
      },
      { 'sdkmessageprocessingstepid@odata.bind': `/sdkmessageprocessingsteps(${step.id})` },
      eq('_sdkmessageprocessingstepid_value', guid(step.id)),
    );
    images[message] = image.outcome;
  }
  return { endpoint: endpoint.outcome, steps, images };
}

/** Registers the webhook for the mapping project: the Update step reports what its work order task reads. */
export function registerProjectWebhook(
  dataverse: DataverseClient,
  project: MappingProject,
  url: string,
  key: Secret | undefined,
): Promise<RegistrationOutcome> {
  return registerWorkOrderWebhook(
    dataverse,
    { url, updateAttributes: workOrderStepAttributes(project) },
    key,
  );
}

/**
 * Removes the steps (Dataverse deletes their images with them) and the endpoint `registerWorkOrderWebhook`
 * created; returns how many rows it deleted.
 */
export async function unregisterWorkOrderWebhook(dataverse: DataverseClient): Promise<number> {
  let deleted = 0;
  for (const message of STEP_MESSAGES) {
    for await (const step of dataverse.query(processingSteps, { filter: eq('name', stepName(message)) })) {
      await dataverse.delete(processingSteps, step.sdkmessageprocessingstepid);
      deleted++;
    }
  }
  for await (const endpoint of dataverse.query(serviceEndpoints, { filter: eq('name', ENDPOINT_NAME) })) {
    await dataverse.delete(serviceEndpoints, endpoint.serviceendpointid);
    deleted++;
  }
  return deleted;
}
