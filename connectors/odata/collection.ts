import { z } from 'zod';
import type { ODataTransport } from '../http/odata-transport';
import { parseJson, parseRecord } from './parse';

const collectionPage = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
});

/** One page of a collection response: its rows and the link to the next page, if any. */
export function parseCollectionPage(
  service: ODataTransport['service'],
  path: string,
  body: string,
): { rows: unknown[]; next?: string } {
  const operation = `GET ${path.split('?')[0]}`;
  const page = parseRecord(collectionPage, parseJson(service, operation, body), service, operation);
  return { rows: page.value, next: page['@odata.nextLink'] };
}

/**
 * Rows of a collection, one page in memory at a time: the next page is requested only once the
 * caller has consumed this one. Next links are followed exactly as the service sent them.
 */
export async function* collectionRows(
  transport: ODataTransport,
  path: string,
  headers: Record<string, string>,
): AsyncGenerator<unknown> {
  let next: string | undefined = path;
  while (next !== undefined) {
    const response = await transport.send({ method: 'GET', path: next, headers });
    const page = parseCollectionPage(transport.service, path, response.body);
    next = page.next;
    yield* page.rows;
  }
}
