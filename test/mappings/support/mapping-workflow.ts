import type { DocumentMapping, SourceDocument, TaskList } from '../../../mappings/engine';
import { mapWorkOrder } from '../../../mappings/engine';

/** A workflow that only calls the engine: proves it bundles and runs in Temporal's workflow sandbox. */
export async function mapWorkOrderInWorkflow(
  project: TaskList,
  workOrder: SourceDocument,
): Promise<DocumentMapping> {
  return mapWorkOrder(project, workOrder);
}
