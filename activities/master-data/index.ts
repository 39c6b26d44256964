import { getClient } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../../config/config';
import type { Connectors } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { withFailureTranslation } from '../business-failure';
import { updateScheduleInput } from '../watchers/schedule-watermark';
import {
  type MasterDataActivities,
  syncInputSchema,
  syncPositionSchema,
  syncWatermarkSchema,
} from './contract';
import type { MasterDataSync } from './master-data-sync';
import { createMasterDataSyncs } from './syncs';

const pageRequestSchema = z.object({
  sync: z.string(),
  after: syncWatermarkSchema,
  limit: z.number().int().min(1).max(1000),
});
const keysRequestSchema = z.object({ sync: z.string(), keys: z.array(z.string()).min(1) });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  return parsed.data;
}

/** The master-data sync workflow's activities; the Temporal client is the worker's own. */
export function createMasterDataActivities(
  config: Config,
  connectors: Connectors,
  project: MappingProject,
): MasterDataActivities {
  const syncs = createMasterDataSyncs(config, connectors, project);
  const syncNamed = (name: string): MasterDataSync => {
    const sync = syncs.get(name);
    if (sync === undefined) {
      throw ApplicationFailure.nonRetryable(
        `no master-data sync "${name}" in mapping project ${project.name} (it has: ${[...syncs.keys()].join(', ')})`,
        'UnknownSync',
      );
    }
    return sync;
  };
  return {
    syncChanges: (input) => {
      const { sync, after, limit } = parse(pageRequestSchema, input);
      return withFailureTranslation(`Sync ${sync}`, () => syncNamed(sync).changes(after, limit));
    },
    syncRecords: (input) => {
      const { sync, keys } = parse(keysRequestSchema, input);
      return withFailureTranslation(`Sync ${sync}`, () => syncNamed(sync).records(keys));
    },
    saveSyncPosition: async (input) => {
      const { retried, ...position } = parse(syncPositionSchema, input);
      await updateScheduleInput(getClient(), position.scheduleId, (previous) => {
        const listed = syncInputSchema.safeParse(previous);
        const addedMeanwhile = listed.success
          ? listed.data.retry.filter((key) => !retried.includes(key))
          : [];
        return { ...position, retry: [...new Set([...position.retry, ...addedMeanwhile])] };
      });
    },
  };
}
