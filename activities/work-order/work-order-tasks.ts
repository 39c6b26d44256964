import { findTask } from '../../mappings/engine';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';

/** The tasks of a mapping project that the work order flow runs, found once at worker start. */
export interface WorkOrderTasks {
  header: ProjectTask;
  /** Line tasks by the lines' entity set, in project order. */
  lines: ReadonlyMap<string, ProjectTask[]>;
  /** Accounts → F&O customers; absent when the project does not sync customers. */
  customers?: ProjectTask;
  /** Field Service products → F&O released products; absent when F&O masters products. */
  products?: ProjectTask;
  invoiceHeader: ProjectTask;
  invoiceLines?: ProjectTask;
}

export function workOrderTasks(project: MappingProject): WorkOrderTasks {
  const header = findTask(project, (task) => task.source === 'msdyn_workorders', 'work order header task');
  const lines = new Map<string, ProjectTask[]>();
  for (const task of project.tasks) {
    if (task.parent?.task !== header.name) continue;
    lines.set(task.source, [...(lines.get(task.source) ?? []), task]);
  }
  const finance = (source: string) =>
    project.tasks.find((task) => task.source === source && task.direction === 'fieldServiceToFinance');
  return {
    header,
    lines,
    customers: finance('accounts'),
    products: finance('products'),
    invoiceHeader: findTask(
      project,
      (task) => task.source === 'SalesInvoiceHeadersV2',
      'sales invoice header task',
    ),
    invoiceLines: project.tasks.find((task) => task.source === 'SalesInvoiceLines'),
  };
}
