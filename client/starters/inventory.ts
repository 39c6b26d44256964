import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import {
  type InventoryDocumentKind,
  type InventoryDocumentRef,
  inventoryDocumentRefSchema,
} from '../../activities/inventory/contract';
import type { Config } from '../../config/config';
// The workflow's type only: activities import the starters and load no workflow code; its type is its name.
import type { inventoryDocumentSync } from '../../workflows';
import { inventoryDocumentChangedSignal } from '../../workflows/inventory/messages';
import { Stage } from '../../workflows/inventory/stages';
import { IntegrationStage, LegalEntity } from '../../workflows/search-attributes';
import type { StartOutcome } from './work-order';

export const inventoryDocumentWorkflowId = (kind: InventoryDocumentKind, name: string) =>
  `inventory-${kind}-${name}`;

/**
 * Starts the workflow of a Field Service inventory adjustment or transfer, or tells the running one that the
 * document changed. One workflow per document whatever the number of callers: the ID is the document's name,
 * and a completed workflow (its journal posted in F&O and recorded) is never started again.
 */
export async function startInventoryDocument(
  client: Client,
  config: Config,
  document: InventoryDocumentRef,
): Promise<StartOutcome> {
  const { kind, name } = inventoryDocumentRefSchema.parse(document);
  try {
    await client.workflow.signalWithStart<typeof inventoryDocumentSync>('inventoryDocumentSync', {
      workflowId: inventoryDocumentWorkflowId(kind, name),
      taskQueue: config.temporal.taskQueue,
      args: [{ kind, name, legalEntity: config.finance.company }],
      signal: inventoryDocumentChangedSignal,
      signalArgs: [],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: [
        { key: LegalEntity, value: config.finance.company },
        { key: IntegrationStage, value: Stage.CreatingJournal },
      ],
      staticSummary: `Inventory ${kind} ${name} → F&O journal in ${config.finance.company}`,
    });
    return 'started-or-signalled';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already-completed';
    throw err;
  }
}
