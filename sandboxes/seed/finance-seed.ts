import { FinanceData } from '../finance/finance-data';
import { emptyFinanceState, type FinanceState } from '../finance/finance-state';
import { setPurchasePrice } from '../finance/purchase-pricing';
import { demoCustomers, demoProducts, demoVendors, demoWarehouses } from './demo-catalog';

/** The F&O side of the demo: customers, released products, warehouses with on-hand stock, vendors and their prices. */
export function seedFinance(): FinanceState {
  const state = emptyFinanceState();
  const data = new FinanceData(
    () => state,
    () => undefined,
  );
  for (const customer of demoCustomers) {
    data.insert('customers', {
      dataAreaId: customer.company,
      CustomerAccount: customer.account,
      OrganizationName: customer.name,
      PartyType: 'Organization',
      CustomerGroupId: '10',
      SalesCurrencyCode: 'USD',
      LanguageId: 'en-us',
      IsExternallyMaintained: 'Yes',
      DeliveryAddressStreet: customer.street,
      DeliveryAddressCity: customer.city,
      DeliveryAddressStateId: customer.state,
      DeliveryAddressZipCode: customer.zip,
      DeliveryAddressCountryRegionISOCode: 'USA',
    });
  }
  for (const product of demoProducts) {
    for (const company of product.companies) {
      data.insert('releasedProducts', {
        dataAreaId: company,
        ItemNumber: product.number,
        ProductNumber: product.number,
        ProductName: product.name,
        ProductType: product.type === 'Service' ? 'Service' : 'Item',
        FieldServiceProductType: product.type,
        ItemModelGroupId: product.type === 'Inventory' ? 'STD' : 'NONSTOCK',
        SalesUnitSymbol: product.unit,
        InventoryUnitSymbol: product.unit,
        PurchaseUnitSymbol: product.unit,
        SalesPrice: product.price,
        UnitCost: product.cost,
        CurrencyCode: 'USD',
      });
    }
  }
  for (const warehouse of demoWarehouses) {
    data.insert('warehouses', {
      dataAreaId: warehouse.company,
      WarehouseId: warehouse.id,
      WarehouseName: warehouse.name,
      OperationalSiteId: warehouse.site,
    });
    const stocked = demoProducts.filter(
      (product) => product.type === 'Inventory' && product.companies.includes(warehouse.company),
    );
    stocked.forEach((product, index) => {
      const onHand = 20 + index * 15;
      data.insert('onHand', {
        dataAreaId: warehouse.company,
        ItemNumber: product.number,
        ProductName: product.name,
        InventorySiteId: warehouse.site,
        InventoryWarehouseId: warehouse.id,
        OnHandQuantity: onHand,
        ReservedOnHandQuantity: 2,
        AvailableOnHandQuantity: onHand - 2,
        OnOrderQuantity: 0,
        OrderedQuantity: 5,
        ModifiedDateTime: '2026-01-05T08:00:00Z',
      });
    });
  }
  for (const vendor of demoVendors) {
    data.insert('vendors', {
      dataAreaId: vendor.company,
      VendorAccountNumber: vendor.account,
      VendorOrganizationName: vendor.name,
      VendorGroupId: '10',
      CurrencyCode: 'USD',
    });
    for (const price of vendor.prices)
      setPurchasePrice(data, { company: vendor.company, vendor: vendor.account, ...price });
  }
  return state;
}
