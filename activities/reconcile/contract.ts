import { z } from 'zod';
import type { ReconcileReport } from './drift';

/** What the `reconcile` schedule asks for: a legal entity (the worker's by default) and a date. */
export const reconcileInputSchema = z.object({
  legalEntity: z
    .string()
    .regex(/^[A-Za-z0-9]{1,4}$/, 'must be a legal entity id (dataAreaId) of 1-4 letters or digits')
    .optional(),
  /** Only documents changed since then; all when absent. */
  since: z.iso.datetime({ offset: true }).optional(),
});
export type ReconcileInput = z.infer<typeof reconcileInputSchema>;

/** Drifts a report lists in the workflow's result and details; the rest are counted only. */
export const LISTED_DRIFTS = 50;

export interface ReconcileActivities {
  /** Runs every join of the mapping project, heartbeating after each page; read-only. */
  reconcileDocuments(input: ReconcileInput): Promise<ReconcileReport>;
}
