/**
 * Response bodies shaped exactly as Microsoft documents them (docs/dynamics-365-wire.md names the pages),
 * with this project's tables and values in them.
 */

/** Entra ID client-credentials success (v2-oauth2-client-creds-grant-flow.md). */
export const tokenSuccess = (accessToken: string, expiresIn = 3599) => ({
  token_type: 'Bearer',
  expires_in: expiresIn,
  access_token: accessToken,
});

/** Entra ID wrong secret: 401 `invalid_client` AADSTS7000215 (reference-error-codes.md; body as recorded in public issues). */
export const tokenInvalidClient = (clientId: string) => ({
  error: 'invalid_client',
  error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.\r\nTrace ID: 2d7e4a6c-3f51-4c8e-9b0a-1c2d3e4f5a00\r\nCorrelation ID: 8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d\r\nTimestamp: 2026-11-25 22:15:03Z`,
  error_codes: [7000215],
  timestamp: '2026-11-25 22:15:03Z',
  trace_id: '2d7e4a6c-3f51-4c8e-9b0a-1c2d3e4f5a00',
  correlation_id: '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d',
  error_uri: 'https://login.microsoftonline.com/error?code=7000215',
});

/** Dataverse `If-Match` mismatch (perform-conditional-operations-using-web-api.md). */
export const dataverse412 = {
  error: {
    code: '',
    message: "The version of the existing record doesn't match the RowVersion property provided.",
  },
};

/** Dataverse service protection, number of requests (api-limits.md; the envelope is the documented error format). */
export const dataverse429 = {
  error: {
    code: '0x80072322',
    message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
  },
};

/** Dataverse plug-in error with `Prefer: odata.include-annotations="*"` (compose-http-requests-handle-errors.md). */
export const dataversePluginError = (message: string) => ({
  error: {
    code: '0x80040265',
    message,
    '@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus': '1',
    '@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode': '12345',
    '@Microsoft.PowerApps.CDS.HelpLink':
      'http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a80040265&client=platform',
    '@Microsoft.PowerApps.CDS.TraceText': '\r\n[Contoso.Plugins: Contoso.Plugins.ValidateWorkOrder ]\r\n',
    '@Microsoft.PowerApps.CDS.InnerError.Message': message,
  },
});

/** A `$skiptoken` next link as Dataverse sends it: a percent-encoded paging cookie that must not be re-encoded (query/page-results.md). */
export const dataverseNextLink = (serviceRoot: string, query: string, page: number) =>
  `${serviceRoot}${query}&$skiptoken=%3Ccookie%20pagenumber=%22${page}%22%20pagingcookie=%22%253ccookie%2520page%253d%2522${page - 1}%2522%253e%253cmsdyn_workorderid%2520last%253d%2522%257bD5026A4D-D01C-ED11-B83E-000D3A572421%257d%2522%2520%252f%253e%253c%252fcookie%253e%22%20istracking=%22False%22%20/%3E`;

/** F&O write failure: generic message, X++ Infolog in `innererror` (community captures, docs/dynamics-365-wire.md#error-bodies). */
export const financeWriteFailure = (entity: string, infolog: string) => ({
  error: {
    code: '',
    message: 'An error has occurred.',
    innererror: {
      message: `Write failed for table row of type '${entity}'. Infolog: ${infolog}`,
      type: 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException',
      stacktrace:
        '   at Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataDelegatingHandler.SendAsync',
    },
  },
});

/** One inner HTTP response of a batch: status line, headers, blank line, body. */
export const httpResponse = (statusLine: string, headers: readonly string[], body = ''): string[] => [
  statusLine,
  ...headers,
  '',
  body,
];

/**
 * A multipart `$batch` response laid out as in execute-batch-operations-using-web-api.md; lines
 * are joined with the given line break (what Dataverse uses is UNCONFIRMED).
 */
export function batchResponse(
  boundary: string,
  parts: readonly (string[] | { changeSet: string; parts: readonly string[][] })[],
  lineBreak = '\r\n',
): string {
  const lines: string[] = [];
  for (const part of parts) {
    if (Array.isArray(part)) {
      lines.push(
        `--${boundary}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        ...part,
      );
    } else {
      lines.push(`--${boundary}`, `Content-Type: multipart/mixed; boundary=${part.changeSet}`, '');
      part.parts.forEach((inner, index) =>
        lines.push(
          `--${part.changeSet}`,
          'Content-Type: application/http',
          'Content-Transfer-Encoding: binary',
          `Content-ID: ${index + 1}`,
          '',
          ...inner,
        ),
      );
      lines.push(`--${part.changeSet}--`);
    }
  }
  lines.push(`--${boundary}--`, '');
  return lines.join(lineBreak);
}
