import type { ProjectIssue } from '../../mappings/project/errors';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';
import { addedTasks } from './added-tasks';
import { type ClaimedTasks, claimTasks } from './sync-claims';

/** Which task each master-data sync runs, decided from the project alone (no I/O). */
export interface MasterDataSyncPlan {
  claimed: ClaimedTasks;
  /** The project's added entity tasks, each a record sync, by sync name. */
  added: Map<string, ProjectTask>;
  /** Why the project's syncs cannot run as it says; empty when they can. */
  issues: ProjectIssue[];
}

export function planMasterDataSyncs(project: MappingProject): MasterDataSyncPlan {
  const issues: ProjectIssue[] = [];
  const claimed = claimTasks(project, issues);
  return { claimed, added: addedTasks(project, issues), issues };
}

/** For the loader's checks: the worker, `fsfo mapping validate` and the schedules refuse such a project. */
export const masterDataSyncIssues = (project: MappingProject): ProjectIssue[] =>
  planMasterDataSyncs(project).issues;
