import { findTask } from '../../mappings/engine';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';
import type { InventoryDocumentKind } from './contract';

/** The header and line tasks of one kind of inventory document, found once at worker start. */
export interface InventoryDocumentTasks {
  header: ProjectTask;
  lines: ProjectTask;
}

const sources = {
  adjustment: { header: 'msdyn_inventoryadjustments', journal: 'InventoryAdjustmentJournalHeaders' },
  transfer: { header: 'msdyn_inventorytransfers', journal: 'InventoryTransferJournalHeaders' },
} as const;

export function inventoryDocumentTasks(
  project: MappingProject,
  kind: InventoryDocumentKind,
): InventoryDocumentTasks {
  const { header: source, journal } = sources[kind];
  const header = findTask(
    project,
    (task) => task.source === source && task.destination === journal,
    `inventory ${kind} journal task`,
  );
  const lines = findTask(project, (task) => task.parent?.task === header.name, `inventory ${kind} line task`);
  return { header, lines };
}
