import type { ProjectIssue } from '../../mappings/project/errors';
import { childPath } from '../../mappings/project/errors';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';
import { hasDataverseTable } from '../dataverse-tables';
import { isReadByFlow } from '../flow-tasks';
import { hasFinanceEntity } from '../finance-entities';
import { sourceKeyColumn } from './record-sources';
import { isClaimed, SYNC_NAMES } from './sync-claims';

/** `Customers - Accounts` → `customers-accounts`: the sync's name, and its schedule's `sync-<name>`. */
export const syncNameOf = (taskName: string): string =>
  taskName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

const SYSTEMS = {
  dataverse: {
    name: 'Field Service (Dataverse)',
    known: hasDataverseTable,
    schemas: 'activities/dataverse-tables.ts',
  },
  finance: { name: 'F&O', known: hasFinanceEntity, schemas: 'activities/finance-entities.ts' },
};

export const systemsOf = (task: ProjectTask) =>
  task.direction === 'fieldServiceToFinance'
    ? { from: SYSTEMS.dataverse, to: SYSTEMS.finance }
    : { from: SYSTEMS.finance, to: SYSTEMS.dataverse };

function nameIssues(
  task: ProjectTask,
  name: string,
  taken: ReadonlyMap<string, ProjectTask>,
): ProjectIssue[] {
  const other = taken.get(name);
  const why =
    name === ''
      ? 'has no letter or digit to name its sync after'
      : (SYNC_NAMES as string[]).includes(name)
        ? `would name its sync "${name}", which is a named sync`
        : other &&
          `would name its sync "${name}", as task "${other.name}" (${other.origin.file} ${other.origin.path}) does`;
  if (!why) return [];
  return [
    {
      ...childPath(task.origin, 'name'),
      message: `an added entity task runs as a sync named after it, and "${task.name}" ${why}: rename the task`,
    },
  ];
}

function entityIssues(task: ProjectTask): ProjectIssue[] {
  const { from, to } = systemsOf(task);
  return (
    [
      ['source', task.source, from],
      ['destination', task.destination, to],
    ] as const
  )
    .filter(([, entitySet, system]) => !system.known(entitySet))
    .map(([property, entitySet, system]) => ({
      ...childPath(task.origin, property),
      message:
        `an added entity task runs as a record sync, and the connectors have no schema for the ${system.name} ` +
        `entity set ${entitySet} (${system.schemas}); customFields describe columns for validation only`,
    }));
}

function keyIssues(task: ProjectTask): ProjectIssue[] {
  const oneColumn = task.direction === 'financeToFieldService' ? task.key.length === 1 : true;
  if (oneColumn && sourceKeyColumn(task) !== undefined) return [];
  return [
    {
      ...childPath(task.origin, 'key'),
      field: task.key.join(', '),
      message:
        'an added entity task runs as a record sync, which needs one destination key field (besides dataAreaId) ' +
        'that a field map copies from one source column, e.g. key [accountnumber] with ' +
        '{ target: accountnumber, source: CustomerAccount }',
    },
  ];
}

function lineIssues(project: MappingProject, task: ProjectTask): ProjectIssue[] {
  return project.tasks
    .filter((line) => line.parent?.task === task.name)
    .map((line) => ({
      ...childPath(line.origin, 'parent', 'task'),
      message:
        `"${task.name}" is an added entity task, which runs as a record sync of its own records: line ` +
        'tasks under it are not run; make this a task of its own (no parent)',
    }));
}

/**
 * The top-level tasks nothing else runs (no named sync claims them, no flow reads them), each as a
 * record sync named after the task. Every reason one could not run is an issue, found without I/O.
 */
export function addedTasks(project: MappingProject, issues: ProjectIssue[]): Map<string, ProjectTask> {
  const taken = new Map<string, ProjectTask>();
  const added = new Map<string, ProjectTask>();
  for (const task of project.tasks) {
    if (task.parent !== undefined || isClaimed(task) || isReadByFlow(task)) continue;
    const name = syncNameOf(task.name);
    const found = [
      ...nameIssues(task, name, taken),
      ...entityIssues(task),
      ...keyIssues(task),
      ...lineIssues(project, task),
    ];
    if (!taken.has(name)) taken.set(name, task);
    issues.push(...found);
    if (found.length === 0) added.set(name, task);
  }
  return added;
}
