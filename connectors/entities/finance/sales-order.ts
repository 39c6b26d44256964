import type { z } from 'zod';
import { date, decimal, financeRecord, integer, text } from './columns';
import { financeEntity } from './entity';
import { ExternalWorkOrderStatus, SalesOrderOriginType, SalesStatus } from './enums';

/** `CDSSalesOrderHeaders`; `SalesOrderNumber` is the work order number. */
export const salesOrderHeaderSchema = financeRecord({
  SalesOrderNumber: text,
  OrderingCustomerAccountNumber: text,
  InvoiceCustomerAccountNumber: text,
  CurrencyCode: text,
  ExternalWorkOrderStatus: ExternalWorkOrderStatus.schema.optional(),
  SalesOrderOriginCode: text.optional(),
  SalesOrderOriginType: SalesOrderOriginType.schema.optional(),
  SalesOrderStatus: SalesStatus.schema.optional(),
  ProjectId: text.optional(),
  RequestedShippingDate: date.optional(),
  DeliveryAddressStreet: text.optional(),
  DeliveryAddressCity: text.optional(),
  DeliveryAddressStateId: text.optional(),
  DeliveryAddressZipCode: text.optional(),
  DeliveryAddressCountryRegionISOCode: text.optional(),
});
export type SalesOrderHeader = z.infer<typeof salesOrderHeaderSchema>;
export const salesOrderHeaders = financeEntity(
  'CDSSalesOrderHeaders',
  ['SalesOrderNumber'],
  salesOrderHeaderSchema,
);

/**
 * `CDSSalesOrderLines`: product lines keep the work order's positive line order, service lines
 * get its negative, so both share one `LineCreationSequenceNumber` sequence.
 */
export const salesOrderLineSchema = financeRecord({
  SalesOrderNumber: text,
  LineCreationSequenceNumber: integer,
  ProductNumber: text,
  OrderedSalesQuantity: decimal,
  SalesPrice: decimal,
  LineDiscountAmount: decimal.optional(),
  /** Computed by F&O: quantity × price − discount, rounded to the currency. */
  LineAmount: decimal.optional(),
  /** Read-only: Backorder (open), Delivered (shipped) or Invoiced; F&O exposes no delivered quantity here. */
  SalesOrderLineStatus: SalesStatus.schema.optional(),
  SalesUnitSymbol: text.optional(),
  ShippingWarehouseId: text.optional(),
  LineDescription: text.optional(),
  CurrencyCode: text.optional(),
});
export type SalesOrderLine = z.infer<typeof salesOrderLineSchema>;
export const salesOrderLines = financeEntity(
  'CDSSalesOrderLines',
  ['SalesOrderNumber', 'LineCreationSequenceNumber'],
  salesOrderLineSchema,
);
