import type { Client } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { setTimeout as delay } from 'node:timers/promises';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

/**
 * Registers the project's search attributes on a namespace of an existing Temporal server (the dev
 * server gets them at start-up). Idempotent; waits until the server lists them.
 */
export async function registerSearchAttributes(client: Client): Promise<string[]> {
  const { operatorService } = client.connection;
  const namespace = client.options.namespace;
  const existing = await operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  await operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
  for (let attempt = 0; attempt < 60; attempt++) {
    const listed = await operatorService.listSearchAttributes({ namespace });
    if (missing.every((key) => key.name in (listed.customAttributes ?? {})))
      return missing.map((key) => key.name);
    await delay(1000);
  }
  throw new Error(
    `Search attributes ${missing.map((k) => k.name).join(', ')} were not registered after 60 s`,
  );
}
