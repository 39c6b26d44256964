import {
  agreementInvoiceStatus,
  agreementSystemStatus,
  customerTypeCode,
  documentApprovalStatus,
  fieldServiceProductType,
  invoicingDecision,
  lineStatus,
  postStatus,
  productTypeCode,
  purchaseOrderApprovalStatus,
  purchaseOrderItemStatus,
  purchaseOrderStatus,
  scmPurchaseStatus,
  workOrderSystemStatus,
} from './option-sets';
import { registrationTables } from './plugin-steps/registration-tables';
import { defineTable, type TableDefinition } from './schema';
import { userTables } from './users';

const choice = (options: Record<number, string>) => ({ type: 'choice' as const, options });
/** Columns the integration solution's plug-ins maintain; request values are ignored. */
const computedBoolean = { type: 'boolean' as const, readOnly: true };
const computedStatus = { type: 'choice' as const, options: workOrderSystemStatus, readOnly: true };
const computedMoney = { type: 'money' as const, readOnly: true };
/** Stock levels Field Service keeps from inventory journals and allocations (`inventory-rules.ts`). */
const computedDecimal = { type: 'decimal' as const, readOnly: true };

const lineAmounts = {
  msdyn_unitamount: 'money',
  msdyn_estimateunitamount: 'money',
  msdyn_discountamount: 'money',
  msdyn_estimatediscountamount: 'money',
  msdyn_totalamount: 'money',
  msdyn_estimatetotalamount: 'money',
} as const;

const businessTables: TableDefinition[] = [
  defineTable({
    entitySet: 'accounts',
    logicalName: 'account',
    primaryName: 'name',
    alternateKeys: [['accountnumber']],
    columns: {
      name: 'string',
      accountnumber: 'string',
      customertypecode: choice(customerTypeCode),
      telephone1: 'string',
      emailaddress1: 'string',
      fax: 'string',
      websiteurl: 'string',
      creditlimit: 'money',
      address1_line1: 'string',
      address1_city: 'string',
      address1_stateorprovince: 'string',
      address1_postalcode: 'string',
      address1_country: 'string',
      address2_line1: 'string',
      address2_city: 'string',
      address2_stateorprovince: 'string',
      address2_postalcode: 'string',
      address2_country: 'string',
    },
    lookups: { transactioncurrencyid: 'transactioncurrencies' },
  }),
  defineTable({
    entitySet: 'transactioncurrencies',
    logicalName: 'transactioncurrency',
    primaryName: 'currencyname',
    columns: {
      currencyname: 'string',
      isocurrencycode: 'string',
      currencysymbol: 'string',
      exchangerate: 'decimal',
      currencyprecision: 'integer',
    },
  }),
  defineTable({
    entitySet: 'uomschedules',
    logicalName: 'uomschedule',
    primaryName: 'name',
    columns: { name: 'string', baseuomname: 'string', description: 'string' },
  }),
  defineTable({
    entitySet: 'uoms',
    logicalName: 'uom',
    primaryName: 'name',
    columns: { name: 'string', msdyn_symbol: 'string', quantity: 'decimal', isschedulebaseuom: 'boolean' },
    lookups: { uomscheduleid: 'uomschedules' },
  }),
  defineTable({
    entitySet: 'products',
    logicalName: 'product',
    primaryName: 'name',
    alternateKeys: [['productnumber']],
    columns: {
      name: 'string',
      productnumber: 'string',
      description: 'string',
      price: 'money',
      currentcost: 'money',
      standardcost: 'money',
      producttypecode: choice(productTypeCode),
      msdyn_fieldserviceproducttype: choice(fieldServiceProductType),
      /** P2C's "Is Externally Maintained"; the logical name is our choice (docs/dynamics-365-templates.md#columns-the-integration-solutions-add). */
      msdynce_isexternallymaintained: 'boolean',
      quantitydecimal: 'integer',
    },
    lookups: {
      defaultuomscheduleid: 'uomschedules',
      defaultuomid: 'uoms',
      msdynce_inventoryunit: 'uoms',
      transactioncurrencyid: 'transactioncurrencies',
    },
  }),
  defineTable({
    entitySet: 'msdyn_warehouses',
    logicalName: 'msdyn_warehouse',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_name']],
    columns: {
      msdyn_name: 'string',
      msdyn_description: 'string',
      msdyn_warehouseidentifier: 'string',
      /** "Is Maintained Externally" on warehouses; the logical name is our choice. */
      msdynce_ismaintainedexternally: 'boolean',
    },
  }),
  defineTable({
    entitySet: 'msdyn_workorders',
    logicalName: 'msdyn_workorder',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_name']],
    columns: {
      msdyn_name: 'string',
      msdyn_systemstatus: choice(workOrderSystemStatus),
      msdyn_workordersummary: 'string',
      msdyn_instructions: 'string',
      msdyn_address1: 'string',
      msdyn_address2: 'string',
      msdyn_city: 'string',
      msdyn_stateorprovince: 'string',
      msdyn_postalcode: 'string',
      msdyn_country: 'string',
      msdyn_latitude: 'decimal',
      msdyn_longitude: 'decimal',
      msdyn_datewindowstart: 'datetime',
      msdyn_datewindowend: 'datetime',
      msdyn_timeclosed: 'datetime',
      msdyn_subtotalamount: computedMoney,
      msdyn_totalamount: computedMoney,
      msdyn_estimatesubtotalamount: computedMoney,
      msdynce_hasexternallymaintainedproductsonly: computedBoolean,
      /** The F&O invoice that billed the work order; the integration's column, its logical name is ours. */
      msdynce_invoicenumber: 'string',
      /** The integration solution's (publisher prefix `fsfo`): a service manager's decision on invoicing, and why. */
      fsfo_invoicingdecision: choice(invoicingDecision),
      fsfo_invoicingdecisionreason: 'string',
    },
    lookups: {
      msdyn_serviceaccount: 'accounts',
      msdyn_billingaccount: 'accounts',
      msdyn_agreement: 'msdyn_agreements',
      transactioncurrencyid: 'transactioncurrencies',
    },
    collections: [
      {
        name: 'msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder',
        entitySet: 'msdyn_workorderproducts',
        lookupAttribute: 'msdyn_workorder',
      },
      {
        name: 'msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder',
        entitySet: 'msdyn_workorderservices',
        lookupAttribute: 'msdyn_workorder',
      },
    ],
  }),
  defineTable({
    entitySet: 'msdyn_workorderproducts',
    logicalName: 'msdyn_workorderproduct',
    primaryName: 'msdyn_name',
    columns: {
      msdyn_name: 'string',
      msdyn_description: 'string',
      msdyn_linestatus: choice(lineStatus),
      msdyn_allocated: 'boolean',
      msdyn_lineorder: 'integer',
      msdyn_quantity: 'decimal',
      msdyn_estimatequantity: 'decimal',
      msdyn_qtytobill: 'decimal',
      ...lineAmounts,
      msdynce_headersystemstatus: computedStatus,
      msdynce_orderhasexternalmaintainedproductsonly: computedBoolean,
    },
    lookups: {
      msdyn_workorder: 'msdyn_workorders',
      msdyn_product: 'products',
      msdyn_unit: 'uoms',
      msdyn_warehouse: 'msdyn_warehouses',
      transactioncurrencyid: 'transactioncurrencies',
    },
  }),
  defineTable({
    entitySet: 'msdyn_workorderservices',
    logicalName: 'msdyn_workorderservice',
    primaryName: 'msdyn_name',
    columns: {
      msdyn_name: 'string',
      msdyn_description: 'string',
      msdyn_linestatus: choice(lineStatus),
      msdyn_lineorder: 'integer',
      msdyn_duration: 'integer',
      msdyn_estimateduration: 'integer',
      msdyn_durationtobill: 'integer',
      ...lineAmounts,
      msdynce_headersystemstatus: computedStatus,
      msdynce_orderhasexternalmaintainedproductsonly: computedBoolean,
    },
    lookups: {
      msdyn_workorder: 'msdyn_workorders',
      msdyn_service: 'products',
      msdyn_unit: 'uoms',
      transactioncurrencyid: 'transactioncurrencies',
    },
  }),
  defineTable({
    entitySet: 'msdyn_agreements',
    logicalName: 'msdyn_agreement',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_name']],
    columns: {
      msdyn_name: 'string',
      msdyn_description: 'string',
      msdyn_systemstatus: choice(agreementSystemStatus),
      msdyn_startdate: 'dateonly',
      msdyn_enddate: 'dateonly',
    },
    lookups: {
      msdyn_serviceaccount: 'accounts',
      msdyn_billingaccount: 'accounts',
      transactioncurrencyid: 'transactioncurrencies',
    },
    collections: [
      {
        name: 'msdyn_msdyn_agreement_msdyn_agreementinvoicedate_Agreement',
        entitySet: 'msdyn_agreementinvoicedates',
        lookupAttribute: 'msdyn_agreement',
      },
      {
        name: 'msdyn_msdyn_agreement_msdyn_agreementinvoiceproduct_Agreement',
        entitySet: 'msdyn_agreementinvoiceproducts',
        lookupAttribute: 'msdyn_agreement',
      },
    ],
  }),
  defineTable({
    entitySet: 'msdyn_agreementinvoicedates',
    logicalName: 'msdyn_agreementinvoicedate',
    primaryName: 'msdyn_name',
    columns: {
      msdyn_name: 'string',
      msdyn_invoicedate: 'dateonly',
      msdyn_invoicestatus: choice(agreementInvoiceStatus),
    },
    lookups: { msdyn_agreement: 'msdyn_agreements' },
  }),
  defineTable({
    entitySet: 'msdyn_agreementinvoiceproducts',
    logicalName: 'msdyn_agreementinvoiceproduct',
    primaryName: 'msdyn_name',
    columns: { msdyn_name: 'string', msdyn_quantity: 'decimal', msdyn_priceperunit: 'money' },
    lookups: {
      msdyn_agreement: 'msdyn_agreements',
      msdyn_product: 'products',
      msdyn_unit: 'uoms',
      transactioncurrencyid: 'transactioncurrencies',
    },
  }),
  defineTable({
    entitySet: 'invoices',
    logicalName: 'invoice',
    primaryName: 'name',
    columns: {
      name: 'string',
      invoicenumber: 'string',
      description: 'string',
      totalamount: 'money',
      totallineitemamount: 'money',
      totaltax: 'money',
      totaldiscountamount: 'money',
      duedate: 'dateonly',
      /** The integration solution's Invoice Date and Has Lines With Agreement Origin; logical names are ours. */
      msdynce_invoicedate: 'dateonly',
      msdynce_haslineswithagreementorigin: 'boolean',
      /** The F&O free text invoice number once posted; the integration's column, its logical name is ours. */
      msdynce_freetextinvoicenumber: 'string',
    },
    lookups: {
      customerid: { navigation: 'customerid_account', target: 'accounts' },
      msdyn_agreement: 'msdyn_agreements',
      transactioncurrencyid: 'transactioncurrencies',
    },
    collections: [{ name: 'invoice_details', entitySet: 'invoicedetails', lookupAttribute: 'invoiceid' }],
  }),
  defineTable({
    entitySet: 'invoicedetails',
    logicalName: 'invoicedetail',
    primaryName: 'productdescription',
    columns: {
      productdescription: 'string',
      lineitemnumber: 'integer',
      quantity: 'decimal',
      priceperunit: 'money',
      baseamount: 'money',
      extendedamount: 'money',
      manualdiscountamount: 'money',
      tax: 'money',
      /** The integration solution's Has Agreement Origin; the logical name is ours. */
      msdynce_hasagreementorigin: 'boolean',
    },
    lookups: {
      invoiceid: 'invoices',
      productid: 'products',
      uomid: 'uoms',
      transactioncurrencyid: 'transactioncurrencies',
    },
  }),
  defineTable({
    entitySet: 'msdyn_inventoryjournals',
    logicalName: 'msdyn_inventoryjournal',
    primaryName: 'msdyn_name',
    columns: { msdyn_name: 'string', msdyn_quantity: 'decimal', msdyn_transactiondate: 'datetime' },
    lookups: {
      msdyn_product: 'products',
      msdyn_warehouse: 'msdyn_warehouses',
      msdyn_unit: 'uoms',
      /** The document line that moved the stock; none on a manual journal. */
      msdyn_workorderproduct: 'msdyn_workorderproducts',
      msdyn_inventoryadjustmentproduct: 'msdyn_inventoryadjustmentproducts',
    },
  }),
  defineTable({
    entitySet: 'msdyn_productinventories',
    logicalName: 'msdyn_productinventory',
    primaryName: 'msdyn_name',
    columns: {
      msdyn_name: 'string',
      msdyn_qtyonhand: computedDecimal,
      msdyn_qtyallocated: computedDecimal,
      msdyn_qtyavailable: computedDecimal,
      msdyn_qtyonorder: computedDecimal,
    },
    lookups: { msdyn_product: 'products', msdyn_warehouse: 'msdyn_warehouses', msdyn_unit: 'uoms' },
  }),
  defineTable({
    entitySet: 'msdyn_inventoryadjustments',
    logicalName: 'msdyn_inventoryadjustment',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_name']],
    columns: {
      msdyn_name: 'string',
      msdyn_description: 'string',
      msdyn_adjustmenttime: 'datetime',
      msdynce_poststatus: choice(postStatus),
      /** The F&O journal that booked it; the integration's column, its logical name is ours. */
      msdynce_journalnumber: 'string',
    },
    lookups: { msdyn_warehouse: 'msdyn_warehouses' },
    collections: [
      {
        name: 'msdyn_msdyn_inventoryadjustment_msdyn_inventoryadjustmentproduct_InventoryAdjustment',
        entitySet: 'msdyn_inventoryadjustmentproducts',
        lookupAttribute: 'msdyn_inventoryadjustment',
      },
    ],
  }),
  defineTable({
    entitySet: 'msdyn_inventoryadjustmentproducts',
    logicalName: 'msdyn_inventoryadjustmentproduct',
    primaryName: 'msdyn_name',
    columns: { msdyn_name: 'string', msdyn_quantity: 'decimal', msdynce_numbersequence: 'string' },
    lookups: {
      msdyn_product: 'products',
      msdyn_unit: 'uoms',
      msdyn_inventoryadjustment: 'msdyn_inventoryadjustments',
      msdyn_inventorytransfer: 'msdyn_inventorytransfers',
    },
  }),
  defineTable({
    entitySet: 'msdyn_inventorytransfers',
    logicalName: 'msdyn_inventorytransfer',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_name']],
    columns: {
      msdyn_name: 'string',
      msdyn_transfertime: 'datetime',
      msdynce_poststatus: choice(postStatus),
      /** The F&O journal that booked it; the integration's column, its logical name is ours. */
      msdynce_journalnumber: 'string',
    },
    lookups: { msdyn_sourcewarehouse: 'msdyn_warehouses', msdyn_destinationwarehouse: 'msdyn_warehouses' },
    collections: [
      {
        name: 'msdyn_msdyn_inventorytransfer_msdyn_inventoryadjustmentproduct_InventoryTransfer',
        entitySet: 'msdyn_inventoryadjustmentproducts',
        lookupAttribute: 'msdyn_inventorytransfer',
      },
    ],
  }),
  defineTable({
    entitySet: 'msdyn_vendors',
    logicalName: 'msdyn_vendor',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_vendoraccountnumber']],
    columns: { msdyn_name: 'string', msdyn_vendoraccountnumber: 'string', msdyn_vendorgroup: 'string' },
    lookups: { transactioncurrencyid: 'transactioncurrencies' },
  }),
  defineTable({
    entitySet: 'msdyn_purchaseorders',
    logicalName: 'msdyn_purchaseorder',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_name']],
    columns: {
      msdyn_name: 'string',
      msdyn_dateexpected: 'dateonly',
      msdyn_systemstatus: choice(purchaseOrderStatus),
      msdyn_approvalstatus: choice(purchaseOrderApprovalStatus),
      msdyn_documentapprovalstatus: choice(documentApprovalStatus),
      msdyn_purchaseorderstatus: choice(scmPurchaseStatus),
      msdyn_totalamount: 'money',
    },
    lookups: {
      msdyn_vendor: 'accounts',
      msdyn_receivetowarehouse: 'msdyn_warehouses',
      transactioncurrencyid: 'transactioncurrencies',
    },
    collections: [
      {
        name: 'msdyn_msdyn_purchaseorder_msdyn_purchaseorderproduct_PurchaseOrder',
        entitySet: 'msdyn_purchaseorderproducts',
        lookupAttribute: 'msdyn_purchaseorder',
      },
    ],
  }),
  defineTable({
    entitySet: 'msdyn_purchaseorderproducts',
    logicalName: 'msdyn_purchaseorderproduct',
    primaryName: 'msdyn_name',
    columns: {
      msdyn_name: 'string',
      msdyn_lineorder: 'integer',
      msdyn_quantity: 'decimal',
      msdyn_unitcost: 'money',
      msdyn_lineamount: 'money',
      msdyn_discountamount: 'money',
      msdyn_discountpercentage: 'decimal',
      msdyn_qtyreceived: 'decimal',
      msdyn_itemstatus: choice(purchaseOrderItemStatus),
      msdyn_purchaseorderlinestatus: choice(scmPurchaseStatus),
    },
    lookups: {
      msdyn_purchaseorder: 'msdyn_purchaseorders',
      msdyn_product: 'products',
      msdyn_unit: 'uoms',
      msdyn_associatetowarehouse: 'msdyn_warehouses',
      transactioncurrencyid: 'transactioncurrencies',
    },
  }),
  defineTable({
    entitySet: 'msdyn_purchaseorderreceipts',
    logicalName: 'msdyn_purchaseorderreceipt',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_recordid']],
    columns: {
      msdyn_name: 'string',
      /** F&O's RecordId (a BigInt column). */
      msdyn_recordid: 'integer',
      msdyn_datereceived: 'dateonly',
    },
    lookups: { msdyn_purchaseorder: 'msdyn_purchaseorders', msdyn_ordervendor: 'msdyn_vendors' },
    collections: [
      {
        name: 'msdyn_msdyn_purchaseorderreceipt_msdyn_purchaseorderreceiptproduct_PurchaseOrderReceipt',
        entitySet: 'msdyn_purchaseorderreceiptproducts',
        lookupAttribute: 'msdyn_purchaseorderreceipt',
      },
    ],
  }),
  defineTable({
    entitySet: 'msdyn_purchaseorderreceiptproducts',
    logicalName: 'msdyn_purchaseorderreceiptproduct',
    primaryName: 'msdyn_name',
    alternateKeys: [['msdyn_recordid']],
    columns: { msdyn_name: 'string', msdyn_recordid: 'integer', msdyn_quantity: 'decimal' },
    lookups: {
      msdyn_purchaseorderreceipt: 'msdyn_purchaseorderreceipts',
      msdyn_purchaseorderproduct: 'msdyn_purchaseorderproducts',
      msdyn_product: 'products',
      msdyn_associatetowarehouse: 'msdyn_warehouses',
    },
  }),
];

export const dataverseTables: TableDefinition[] = [
  ...businessTables,
  ...registrationTables(businessTables),
  ...userTables,
];

export const tablesByEntitySet = new Map(dataverseTables.map((table) => [table.entitySet, table]));
