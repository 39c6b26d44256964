import type { ProjectCheck } from '../mappings/project/loader';
import { masterDataSyncIssues } from './master-data/sync-plan';

/** What the activities need of a valid mapping project beyond its schemas; every entry point runs these. */
export const PROJECT_CHECKS: readonly ProjectCheck[] = [masterDataSyncIssues];
