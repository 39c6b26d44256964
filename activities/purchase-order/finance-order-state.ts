import { D365Error, eq } from '../../connectors';
import {
  productReceiptHeaders,
  productReceiptLines,
  purchaseOrderHeaders,
  purchaseOrderLines,
} from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { businessFailure } from '../business-failure';
import type { FinancePurchaseOrder, ProductReceiptNotice } from './contract';

/**
 * F&O's purchase order as it is now: header, lines and posted product receipts (one read each),
 * receipts oldest first. Called when the watcher reports a change, never while nothing happens.
 */
export async function readFinancePurchaseOrder(
  finance: FinanceClient,
  purchaseOrderNumber: string,
): Promise<FinancePurchaseOrder> {
  let header;
  try {
    header = await finance.retrieve(purchaseOrderHeaders, { PurchaseOrderNumber: purchaseOrderNumber });
  } catch (error) {
    if (!(error instanceof D365Error && error.kind === 'not-found')) throw error;
    throw businessFailure(
      `Purchase order ${purchaseOrderNumber} no longer exists in F&O company ${finance.company}`,
      'NotFound',
    );
  }
  const filter = eq('PurchaseOrderNumber', purchaseOrderNumber);
  const lines = [];
  for await (const line of finance.query(purchaseOrderLines, { filter })) lines.push(line);
  lines.sort((a, b) => a.LineNumber - b.LineNumber);
  const receipts = new Map<number, ProductReceiptNotice>();
  for await (const receipt of finance.query(productReceiptHeaders, { filter })) {
    receipts.set(receipt.RecordId, {
      recordId: receipt.RecordId,
      receiptNumber: receipt.ProductReceiptNumber,
      header: receipt,
      lines: [],
    });
  }
  for await (const line of finance.query(productReceiptLines, { filter })) {
    receipts.get(line.ProductReceiptHeaderRecordId)?.lines.push({
      record: line,
      notice: {
        recordId: line.RecordId,
        lineNumber: line.PurchaseOrderLineNumber,
        itemNumber: line.ProductNumber ?? '',
        quantity: line.ReceivedPurchaseQuantity,
        warehouse: line.ReceivingWarehouseId ?? '',
      },
    });
  }
  return {
    purchaseOrderNumber,
    approvalStatus: header.DocumentApprovalStatus ?? 'Draft',
    orderStatus: header.PurchaseOrderStatus ?? 'None',
    modifiedOn: header.ModifiedDateTime ?? '',
    totalAmount: Math.round(lines.reduce((sum, line) => sum + (line.LineAmount ?? 0), 0) * 100) / 100,
    header,
    lines,
    receipts: [...receipts.values()].sort((a, b) => a.recordId - b.recordId),
  };
}
