import type { Row } from '../dataverse/schema';

export interface AgreementRefs {
  account?: string;
  usd?: string;
  units: Map<string, string>;
  products: Map<string, { id: string; number: string; name: string; price: number; unit: string }>;
}

/** Agreement AGR-00001: monthly invoice dates (January processed), invoice products and the invoice January produced. */
export function seedAgreement(
  add: (entitySet: string, key: string, values: Row) => string,
  refs: AgreementRefs,
): void {
  const agreement = add('msdyn_agreements', 'AGR-00001', {
    msdyn_name: 'AGR-00001',
    msdyn_description: 'Monthly preventive maintenance',
    msdyn_systemstatus: 690970001,
    msdyn_startdate: '2026-01-01',
    msdyn_enddate: '2026-12-31',
    msdyn_serviceaccount: refs.account,
    msdyn_billingaccount: refs.account,
    transactioncurrencyid: refs.usd,
  });
  const invoiceDates = [
    { date: '2026-01-31', status: 690970001 },
    { date: '2026-02-28', status: 690970000 },
    { date: '2026-03-31', status: 690970000 },
  ];
  for (const invoiceDate of invoiceDates) {
    add('msdyn_agreementinvoicedates', `AGR-00001:${invoiceDate.date}`, {
      msdyn_name: invoiceDate.date,
      msdyn_agreement: agreement,
      msdyn_invoicedate: invoiceDate.date,
      msdyn_invoicestatus: invoiceDate.status,
    });
  }
  const lines = [
    { product: 'P-2000', quantity: 1 },
    { product: 'S-3000', quantity: 2 },
  ].flatMap((line) => {
    const product = refs.products.get(line.product);
    return product ? [{ ...line, product, amount: product.price * line.quantity }] : [];
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const invoice = add('invoices', 'INV-00001', {
    name: 'AGR-00001 January 2026',
    invoicenumber: 'INV-00001',
    customerid: refs.account,
    msdyn_agreement: agreement,
    transactioncurrencyid: refs.usd,
    totallineitemamount: total,
    totalamount: total,
    totaltax: 0,
    totaldiscountamount: 0,
    msdynce_invoicedate: '2026-01-31',
    msdynce_haslineswithagreementorigin: true,
  });
  lines.forEach(({ product, quantity, amount }, index) => {
    add('msdyn_agreementinvoiceproducts', `AGR-00001:${product.number}`, {
      msdyn_name: product.name,
      msdyn_agreement: agreement,
      msdyn_product: product.id,
      msdyn_unit: refs.units.get(product.unit),
      msdyn_quantity: quantity,
      msdyn_priceperunit: product.price,
      transactioncurrencyid: refs.usd,
    });
    add('invoicedetails', `INV-00001:${index + 1}`, {
      productdescription: product.name,
      lineitemnumber: index + 1,
      invoiceid: invoice,
      productid: product.id,
      uomid: refs.units.get(product.unit),
      quantity,
      priceperunit: product.price,
      baseamount: amount,
      extendedamount: amount,
      manualdiscountamount: 0,
      tax: 0,
      msdynce_hasagreementorigin: true,
      transactioncurrencyid: refs.usd,
    });
  });
}
