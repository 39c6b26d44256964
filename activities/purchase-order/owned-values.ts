import type { SourceValues } from '../../mappings/engine';
import type { ProjectTask } from '../../mappings/project/merge';
import type { OwnedValues } from './contract';
import type { PurchaseOrderTasks } from './purchase-order-tasks';

/** Columns Field Service owns: those the tasks to F&O copy (e.g. `msdyn_quantity`) or follow (`_msdyn_product_value`). */
export const copiedColumns = (task: ProjectTask): string[] =>
  task.fieldMaps.flatMap((map) => {
    if (map.source) return [map.source];
    return map.related ? [`_${map.related.lookup}_value`] : [];
  });

const pick = (row: SourceValues, columns: readonly string[]) =>
  Object.fromEntries(columns.map((column) => [column, row[column] ?? null]));

/** The Field Service order's values of the columns it owns: header, and lines by line number. */
export function ownedValuesOf(
  tasks: Pick<PurchaseOrderTasks, 'header' | 'lines'>,
  header: SourceValues,
  lines: Iterable<SourceValues>,
): OwnedValues {
  const lineColumns = copiedColumns(tasks.lines);
  return {
    header: pick(header, copiedColumns(tasks.header)),
    lines: Object.fromEntries(
      [...lines].map((line) => [String(line.msdyn_lineorder), pick(line, lineColumns)]),
    ),
  };
}
