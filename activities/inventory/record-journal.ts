import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import {
  type DataverseTable,
  inventoryAdjustments,
  inventoryTransfers,
} from '../../connectors/entities/dataverse';
import type { InventoryDocumentKind } from './contract';

/**
 * The F&O journal number on the Field Service document: the integration's column (its logical name is
 * the sandbox's choice, like the other `msdynce_` columns), the only one a Posted document still takes.
 */
export async function recordInventoryJournalNumber(
  dataverse: DataverseClient,
  kind: InventoryDocumentKind,
  documentId: string,
  journalNumber: string,
): Promise<void> {
  const table: DataverseTable = kind === 'adjustment' ? inventoryAdjustments : inventoryTransfers;
  await dataverse.update(table, documentId, { msdynce_journalnumber: journalNumber }, '*');
}
