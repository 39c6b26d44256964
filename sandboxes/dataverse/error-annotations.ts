import type { SandboxResponse } from '../http/types';
import { wantsAnnotation, type Preferences } from '../odata/prefer';

const prefix = 'Microsoft.PowerApps.CDS';

/**
 * With `Prefer: odata.include-annotations` covering `Microsoft.PowerApps.CDS.*`, Dataverse errors carry extra
 * annotations inside `error` (compose-http-requests-handle-errors.md, "Include additional details with errors").
 */
export function annotateError(response: SandboxResponse, preferences: Preferences): SandboxResponse {
  if (response.status < 400 || typeof response.body !== 'string') return response;
  if (!wantsAnnotation(preferences, `${prefix}.ErrorDetails.OperationStatus`)) return response;
  let parsed: { error?: { code?: string; message?: string } };
  try {
    parsed = JSON.parse(response.body) as typeof parsed;
  } catch {
    return response;
  }
  if (!parsed.error) return response;
  const code = (parsed.error.code ?? '').replace(/^0x/, '');
  const annotated = {
    error: {
      ...parsed.error,
      [`@${prefix}.ErrorDetails.OperationStatus`]: '0',
      [`@${prefix}.ErrorDetails.SubErrorCode`]: '-2146233088',
      [`@${prefix}.HelpLink`]: `http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a${code}&client=platform`,
      [`@${prefix}.InnerError.Message`]: parsed.error.message ?? '',
    },
  };
  return { ...response, body: JSON.stringify(annotated) };
}
