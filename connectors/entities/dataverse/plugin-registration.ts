import { z } from 'zod';
import { dataverseRow, guid, lookup, text, wholeNumber } from './columns';
import { dataverseTable } from './table';

/*
 * The plug-in registration tables a webhook is registered in. Not part of the entity catalogue: no
 * mapping reads them.
 */

/** `serviceendpoint`: where Dataverse posts; `authvalue` is write-only and never read back. */
export const serviceEndpointSchema = dataverseRow({
  serviceendpointid: guid,
  name: z.string(),
  contract: wholeNumber,
  url: text,
  authtype: wholeNumber,
  messageformat: wholeNumber,
});
export const serviceEndpoints = dataverseTable(
  'serviceendpoints',
  'serviceendpointid',
  serviceEndpointSchema,
);

/** `sdkmessage`: the platform's messages (`Create`, `Update`, ...). */
export const sdkMessageSchema = dataverseRow({ sdkmessageid: guid, name: z.string() });
export const sdkMessages = dataverseTable('sdkmessages', 'sdkmessageid', sdkMessageSchema);

/** `sdkmessagefilter`: a message on one table. */
export const sdkMessageFilterSchema = dataverseRow({
  sdkmessagefilterid: guid,
  primaryobjecttypecode: z.string(),
  _sdkmessageid_value: lookup,
});
export const sdkMessageFilters = dataverseTable(
  'sdkmessagefilters',
  'sdkmessagefilterid',
  sdkMessageFilterSchema,
);

/** `sdkmessageprocessingstep`: a message and table bound to an event handler (here a service endpoint). */
export const processingStepSchema = dataverseRow({
  sdkmessageprocessingstepid: guid,
  name: z.string(),
  stage: wholeNumber,
  mode: wholeNumber,
  filteringattributes: text,
  statecode: wholeNumber,
  _eventhandler_value: lookup,
  _sdkmessageid_value: lookup,
  _sdkmessagefilterid_value: lookup,
});
export const processingSteps = dataverseTable(
  'sdkmessageprocessingsteps',
  'sdkmessageprocessingstepid',
  processingStepSchema,
);

/** `sdkmessageprocessingstepimage`: the row before or after the operation, sent with the step's context. */
export const processingStepImageSchema = dataverseRow({
  sdkmessageprocessingstepimageid: guid,
  name: z.string(),
  entityalias: z.string(),
  imagetype: wholeNumber,
  attributes: text,
  messagepropertyname: z.string(),
  _sdkmessageprocessingstepid_value: lookup,
});
export const processingStepImages = dataverseTable(
  'sdkmessageprocessingstepimages',
  'sdkmessageprocessingstepimageid',
  processingStepImageSchema,
);

/** The values of the registration columns the product sets (docs/dynamics-365-wire.md#registering-the-dataverse-webhook). */
export const ServiceEndpointContract = { Webhook: 8 } as const;
export const ServiceEndpointAuthType = { HttpHeader: 5 } as const;
export const ServiceEndpointMessageFormat = { Json: 2 } as const;
export const StepStage = { PostOperation: 40 } as const;
export const StepMode = { Asynchronous: 1 } as const;
export const ImageType = { PostImage: 1 } as const;
/** The request property an image is taken from: the created row's `Id`, the updated `Target`. */
export const ImageMessageProperty = { Create: 'Id', Update: 'Target' } as const;
