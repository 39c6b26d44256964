import { and, eq, ge, gt, le, lt, ne, not, or, type Filter } from '../connectors';
import { parseFilter, type FilterExpression } from '../mappings/engine/odata-filter';
import type { Task } from '../mappings/project/schema';

const comparisons = { eq, ne, gt, ge, lt, le } as const;

/**
 * A task's source `$filter`, rebuilt with the connector's checked builders (names validated,
 * literals quoted) rather than pasted into the URL as text. Undefined when the task has no filter.
 */
export function sourceFilterOf(task: Pick<Task, 'filter'>): Filter | undefined {
  return task.filter === undefined ? undefined : toFilter(parseFilter(task.filter));
}

function toFilter(expression: FilterExpression): Filter {
  switch (expression.kind) {
    case 'and':
      return and(toFilter(expression.left), toFilter(expression.right));
    case 'or':
      return or(toFilter(expression.left), toFilter(expression.right));
    case 'not':
      return not(toFilter(expression.operand));
    case 'compare':
      return comparisons[expression.operator](expression.field, expression.value);
  }
}
