import { z } from 'zod';
import type { OwnedValues } from '../../activities/purchase-order/contract';
import type { IntegrationState } from '../integration/integration-flow';

/** F&O's order as last seen, in the terms an operator reads. */
export interface FinanceOrderSummary {
  approvalStatus: string;
  orderStatus: string;
  totalAmount: number;
  lineCount: number;
  /** F&O's stamp when last read: the daily re-check asks whether F&O changed the order since. */
  modifiedOn: string;
}

/** Everything an operator may want to know; the `status` query returns it and the result ends with it. */
export interface PurchaseOrderState extends IntegrationState {
  purchaseOrderNumber: string;
  legalEntity: string;
  vendorAccount?: string;
  finance?: FinanceOrderSummary;
  /** What F&O holds of the columns Field Service owns, as last written either way. */
  synced?: OwnedValues;
  /** F&O RecordIds of the product receipts recorded in Field Service, in order. */
  recordedReceipts: number[];
  receiptNumbers: string[];
}

export const purchaseOrderInputSchema = z.object({
  purchaseOrderNumber: z.string().min(1),
  legalEntity: z.string().min(1),
});

export type PurchaseOrderInput = z.infer<typeof purchaseOrderInputSchema> & {
  /** Carried over by continue-as-new. */
  resumeFrom?: PurchaseOrderState;
};
