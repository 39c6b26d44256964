import { z } from 'zod';

const odataErrorBody = z.object({
  error: z
    .object({
      code: z.string().optional(),
      message: z.string().optional(),
      /** Dataverse, with `Prefer: odata.include-annotations`: set when a plug-in raised the error. */
      '@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus': z.string().optional(),
      /** F&O still sends it; the X++ Infolog, the text a person needs, is in its message. */
      innererror: z
        .object({ message: z.string().optional(), type: z.string().optional() })
        .loose()
        .optional(),
    })
    .loose(),
});

/** What an OData error body (`{"error":{"code","message",...}}`) says, as far as it says anything. */
export interface ODataErrorInfo {
  code?: string;
  message?: string;
  innerMessage?: string;
  innerType?: string;
  raisedByPlugin: boolean;
}

export function parseODataErrorBody(body: string): ODataErrorInfo | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = odataErrorBody.safeParse(json);
  if (!parsed.success) return undefined;
  const { error } = parsed.data;
  return {
    code: error.code || undefined,
    message: error.message || undefined,
    innerMessage: error.innererror?.message || undefined,
    innerType: error.innererror?.type || undefined,
    raisedByPlugin: error['@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus'] !== undefined,
  };
}
