import { findTask } from '../../mappings/engine';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';

/** The tasks of a mapping project that the agreement invoice flow runs, found once at worker start. */
export interface AgreementInvoiceTasks {
  header: ProjectTask;
  /** Line tasks by the lines' entity set, in project order. */
  lines: ReadonlyMap<string, ProjectTask[]>;
  /** Accounts → F&O customers; absent when the project does not sync customers. */
  customers?: ProjectTask;
}

export function agreementInvoiceTasks(project: MappingProject): AgreementInvoiceTasks {
  const header = findTask(
    project,
    (task) => task.source === 'invoices' && task.destination === 'CDSFreeTextInvoiceHeaders',
    'agreement invoice header task',
  );
  const lines = new Map<string, ProjectTask[]>();
  for (const task of project.tasks) {
    if (task.parent?.task !== header.name) continue;
    lines.set(task.source, [...(lines.get(task.source) ?? []), task]);
  }
  return {
    header,
    lines,
    customers: project.tasks.find(
      (task) => task.source === 'accounts' && task.direction === 'fieldServiceToFinance',
    ),
  };
}
