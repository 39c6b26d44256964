import type { BatchOperation } from '../connectors';
import type { FinanceClient } from '../connectors/finance/finance-client';

/** A write a sync sends to F&O, with the entity set and key it addresses (what a preview shows). */
export interface PlannedWrite {
  operation: BatchOperation;
  entitySet: string;
  key: Record<string, unknown>;
}

/** What builds batch operations: the F&O client, which does no I/O for it. */
export type OperationBuilder = Pick<
  FinanceClient,
  'company' | 'createOperation' | 'updateOperation' | 'deleteOperation'
>;

export const plannedWrite = (
  operation: BatchOperation,
  entitySet: string,
  key: Record<string, unknown>,
): PlannedWrite => ({ operation, entitySet, key });
