import { financeCurrencies } from './companies';
import type { FinanceData } from './finance-data';
import type { FinanceRow } from './finance-state';
import type { EntityDefinition } from './schema';

export type WriteKind = 'create' | 'update' | 'delete';

/**
 * The X++ validation the integration runs into. Returns the Infolog message of a refused write.
 * `row` is the row as it would be after the write (the current row for a delete), `before` the row before.
 */
export function validateWrite(
  data: FinanceData,
  entity: EntityDefinition,
  kind: WriteKind,
  row: Record<string, unknown>,
  before: FinanceRow | undefined,
): string | undefined {
  const company = String(row.dataAreaId);
  switch (entity.storage) {
    case 'releasedProducts':
      return kind === 'delete' ? undefined : unknownCurrency(row.CurrencyCode);
    case 'customers':
      return kind === 'delete' ? undefined : unknownCurrency(row.SalesCurrencyCode);
    case 'salesOrderHeaders':
      if (before && isInvoiced(before))
        return `Sales order ${String(before.SalesOrderNumber)} has been invoiced and cannot be changed.`;
      if (kind === 'delete') return undefined;
      return (
        missingCustomer(data, company, row.OrderingCustomerAccountNumber, true) ??
        missingCustomer(data, company, row.InvoiceCustomerAccountNumber, false) ??
        unknownCurrency(row.CurrencyCode)
      );
    case 'salesOrderLines': {
      const order = data.where('salesOrderHeaders', {
        dataAreaId: company,
        SalesOrderNumber: row.SalesOrderNumber,
      })[0];
      if (!order) return `Sales order ${String(row.SalesOrderNumber)} does not exist in company ${company}.`;
      if (isInvoiced(order))
        return `Sales order ${String(row.SalesOrderNumber)} has been invoiced and cannot be changed.`;
      if (before) {
        const updated = physicallyUpdatedLine(kind, row, before);
        if (updated) return updated;
      }
      return kind === 'delete' ? undefined : missingProduct(data, company, row.ProductNumber);
    }
    case 'freeTextInvoiceHeaders':
      if (before?.IsPosted === 'Yes')
        return `Free text invoice ${String(before.ExternalInvoiceId)} has been posted and cannot be changed.`;
      if (kind === 'delete') return undefined;
      return (
        missingCustomer(data, company, row.CustomerAccount, true) ??
        missingCustomer(data, company, row.InvoiceAccount, false) ??
        unknownCurrency(row.CurrencyCode)
      );
    case 'freeTextInvoiceLines': {
      const invoice = data.where('freeTextInvoiceHeaders', {
        dataAreaId: company,
        ExternalInvoiceId: row.ExternalInvoiceId,
      })[0];
      if (!invoice)
        return `Free text invoice ${String(row.ExternalInvoiceId)} does not exist in company ${company}.`;
      if (invoice.IsPosted === 'Yes')
        return `Free text invoice ${String(row.ExternalInvoiceId)} has been posted and cannot be changed.`;
      return undefined;
    }
    case 'purchaseOrderHeaders':
      if (before) {
        const locked = lockedPurchaseOrder(before);
        if (locked) return locked;
      }
      if (kind === 'delete') return undefined;
      return (
        missingVendor(data, company, row.OrderVendorAccountNumber) ??
        unknownCurrency(row.CurrencyCode) ??
        missingWarehouse(data, company, row.DefaultReceivingWarehouseId)
      );
    case 'purchaseOrderLines': {
      const order = data.where('purchaseOrderHeaders', {
        dataAreaId: company,
        PurchaseOrderNumber: row.PurchaseOrderNumber,
      })[0];
      if (!order)
        return `Purchase order ${String(row.PurchaseOrderNumber)} does not exist in company ${company}.`;
      const locked = lockedPurchaseOrder(order);
      if (locked) return locked;
      if (kind === 'delete') return undefined;
      return (
        missingProduct(data, company, row.ProductNumber) ??
        missingWarehouse(data, company, row.ReceivingWarehouseId)
      );
    }
    case 'adjustmentJournalEntries':
    case 'transferJournalEntries': {
      const headers =
        entity.storage === 'adjustmentJournalEntries' ? 'adjustmentJournalHeaders' : 'transferJournalHeaders';
      const journal = data.where(headers, { dataAreaId: company, JournalNumber: row.JournalNumber })[0];
      if (!journal) return `Journal ${String(row.JournalNumber)} does not exist in company ${company}.`;
      return kind === 'delete' ? undefined : missingProduct(data, company, row.ItemNumber);
    }
    default:
      return undefined;
  }
}

function unknownCurrency(code: unknown): string | undefined {
  if (code === '' || code === undefined || financeCurrencies.has(String(code))) return undefined;
  return `Currency ${String(code)} does not exist.`;
}

function isInvoiced(order: FinanceRow): boolean {
  return order.SalesOrderStatus === 'Invoiced';
}

/**
 * A line F&O has delivered or invoiced (its SalesOrderLineStatus) has inventory transactions behind it:
 * it cannot be deleted, nor its item or quantity changed, until the packing slip or invoice is reversed.
 */
function physicallyUpdatedLine(
  kind: WriteKind,
  row: Record<string, unknown>,
  before: FinanceRow,
): string | undefined {
  const status = String(before.SalesOrderLineStatus);
  if (status !== 'Delivered' && status !== 'Invoiced') return undefined;
  const line = `Line ${String(before.LineCreationSequenceNumber)} of sales order ${String(before.SalesOrderNumber)}`;
  const state = status.toLowerCase();
  if (kind === 'delete') return `${line} has been ${state} and cannot be deleted.`;
  if (String(row.ProductNumber) !== String(before.ProductNumber))
    return `${line} has been ${state}; its item cannot be changed.`;
  if (Number(row.OrderedSalesQuantity) !== Number(before.OrderedSalesQuantity))
    return `${line} has been ${state}; its quantity cannot be changed.`;
  return undefined;
}

function missingCustomer(
  data: FinanceData,
  company: string,
  account: unknown,
  required: boolean,
): string | undefined {
  if (account === '' || account === undefined)
    return required ? 'Customer account must be filled in.' : undefined;
  const found = data.where('customers', { dataAreaId: company, CustomerAccount: account }).length > 0;
  return found ? undefined : `Customer account ${String(account)} does not exist in company ${company}.`;
}

function missingVendor(data: FinanceData, company: string, account: unknown): string | undefined {
  const found = data.where('vendors', { dataAreaId: company, VendorAccountNumber: account }).length > 0;
  return found ? undefined : `Vendor account ${String(account)} does not exist in company ${company}.`;
}

/** Under change management an order can be changed only while it is Draft, and never once cancelled or received. */
function lockedPurchaseOrder(order: FinanceRow): string | undefined {
  const number = String(order.PurchaseOrderNumber);
  if (order.PurchaseOrderStatus === 'Canceled' || order.PurchaseOrderStatus === 'Received')
    return `Purchase order ${number} is ${String(order.PurchaseOrderStatus)} and cannot be changed.`;
  if (order.DocumentApprovalStatus !== 'Draft')
    return (
      `Purchase order ${number} cannot be changed because its approval status is ` +
      `${String(order.DocumentApprovalStatus)}. Request a change to return it to Draft.`
    );
  return undefined;
}

function missingWarehouse(data: FinanceData, company: string, warehouse: unknown): string | undefined {
  if (warehouse === '' || warehouse === undefined) return undefined;
  const found = data.where('warehouses', { dataAreaId: company, WarehouseId: warehouse }).length > 0;
  return found ? undefined : `Warehouse ${String(warehouse)} does not exist in company ${company}.`;
}

function missingProduct(data: FinanceData, company: string, productNumber: unknown): string | undefined {
  const found =
    data.where('releasedProducts', { dataAreaId: company, ProductNumber: productNumber }).length > 0;
  return found
    ? undefined
    : `Item number ${String(productNumber)} is not a released product in company ${company}.`;
}
