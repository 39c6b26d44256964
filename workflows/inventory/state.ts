import { z } from 'zod';
import {
  type InventoryJournalSummary,
  inventoryDocumentKindSchema,
} from '../../activities/inventory/contract';
import type { IntegrationState } from '../integration/integration-flow';

/** Everything an operator may want to know; the `status` query returns it and the result ends with it. */
export interface InventoryDocumentState extends IntegrationState {
  kind: z.infer<typeof inventoryDocumentKindSchema>;
  name: string;
  legalEntity: string;
  documentId?: string;
  journal?: InventoryJournalSummary;
  syncedVersion?: string;
}

export const inventoryDocumentInputSchema = z.object({
  kind: inventoryDocumentKindSchema,
  name: z.string().trim().min(1).max(100),
  legalEntity: z.string().min(1),
});

export type InventoryDocumentInput = z.infer<typeof inventoryDocumentInputSchema> & {
  /** Carried over by continue-as-new. */
  resumeFrom?: InventoryDocumentState;
};
