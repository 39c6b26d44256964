/** F&O enums the entities use, by name → member → value (docs/dynamics-365-templates.md#fo-enums). OData sends member names. */
export const financeEnums: Record<string, Record<string, number>> = {
  NoYes: { No: 0, Yes: 1 },
  SalesStatus: { None: 0, Backorder: 1, Delivered: 2, Invoiced: 3, Canceled: 4 },
  PurchStatus: { None: 0, Backorder: 1, Received: 2, Invoiced: 3, Canceled: 4 },
  SalesOriginType: { NotSpecified: 0, SalesOrderIntegration: 1, WorkOrderIntegration: 2 },
  SalesExternalWorkOrderStatus: {
    OpenUnscheduled: 0,
    OpenScheduled: 1,
    OpenInProgress: 2,
    OpenCompleted: 3,
    ClosedPosted: 4,
    ClosedCanceled: 5,
  },
  EcoResFieldServiceProductType: { Inventory: 0, NonInventory: 1, Service: 2, NotAvailable: 3 },
  EcoResProductType: { Item: 1, Service: 2 },
  /** Only AgreementInvoiceIntegration is documented; `None` is the sandbox's default for other invoices. */
  CustomerInvoiceOriginType: { None: 0, AgreementInvoiceIntegration: 1 },
  InventJournalOriginType: { Journal: 0, ExternalIntegration: 1 },
  /** Purchase order approval (change management); member names as F&O sends them, values ours. */
  VersioningDocumentState: {
    Draft: 0,
    InReview: 1,
    Approved: 2,
    Rejected: 3,
    InExternalReview: 4,
    Confirmed: 5,
    Finalized: 6,
  },
};

export const enumNamespace = 'Microsoft.Dynamics.DataEntities';
