import { jsonResponse } from '../http/json';
import type { SandboxResponse } from '../http/types';

/** The OData service document (`GET <service root>`): the entity sets the service exposes. */
export function serviceDocument(serviceRoot: string, entitySets: string[]): SandboxResponse {
  return jsonResponse(200, {
    '@odata.context': `${serviceRoot}$metadata`,
    value: entitySets.map((name) => ({ name, kind: 'EntitySet', url: name })),
  });
}
