/** Master data both sides of the demo share: the same customers, products and warehouses in FS and F&O. */

export const demoCurrencies = [
  { code: 'USD', name: 'US Dollar', symbol: '$', rate: 1 },
  { code: 'EUR', name: 'Euro', symbol: '€', rate: 0.92 },
];

export const demoUnits = [
  { symbol: 'ea', name: 'Each' },
  { symbol: 'hr', name: 'Hour' },
  { symbol: 'box', name: 'Box' },
];

export const demoCustomers = [
  {
    account: 'US-001',
    name: 'Contoso Retail San Diego',
    company: 'usmf',
    city: 'San Diego',
    state: 'CA',
    zip: '92101',
    street: '123 Harbor Dr',
  },
  {
    account: 'US-002',
    name: 'Fabrikam Electronics',
    company: 'usmf',
    city: 'Seattle',
    state: 'WA',
    zip: '98101',
    street: '500 Pine St',
  },
  {
    account: 'US-003',
    name: 'Adventure Works Cycles',
    company: 'usmf',
    city: 'Denver',
    state: 'CO',
    zip: '80202',
    street: '17 Larimer St',
  },
  {
    account: 'RT-001',
    name: 'Northwind Traders',
    company: 'usrt',
    city: 'Chicago',
    state: 'IL',
    zip: '60601',
    street: '1 Wacker Dr',
  },
];

export type FieldServiceType = 'Inventory' | 'NonInventory' | 'Service';

export const demoProducts: {
  number: string;
  name: string;
  type: FieldServiceType;
  unit: string;
  price: number;
  cost: number;
  /** Released in F&O (and so externally maintained in FS). */
  companies: string[];
}[] = [
  {
    number: 'P-1000',
    name: 'Air filter',
    type: 'Inventory',
    unit: 'ea',
    price: 45,
    cost: 20,
    companies: ['usmf', 'usrt'],
  },
  {
    number: 'P-1001',
    name: 'Compressor',
    type: 'Inventory',
    unit: 'ea',
    price: 1250,
    cost: 700,
    companies: ['usmf'],
  },
  {
    number: 'P-2000',
    name: 'Cleaning kit',
    type: 'NonInventory',
    unit: 'box',
    price: 15,
    cost: 6,
    companies: ['usmf'],
  },
  {
    number: 'S-3000',
    name: 'Labor, standard hour',
    type: 'Service',
    unit: 'hr',
    price: 95,
    cost: 55,
    companies: ['usmf', 'usrt'],
  },
  {
    number: 'S-3001',
    name: 'Diagnostics',
    type: 'Service',
    unit: 'hr',
    price: 150,
    cost: 80,
    companies: ['usmf'],
  },
  {
    number: 'P-9000',
    name: 'Local sealant (bought by the technician)',
    type: 'Inventory',
    unit: 'ea',
    price: 12,
    cost: 8,
    companies: [],
  },
];

export const demoWarehouses = [
  { id: '11', name: 'Main warehouse', site: '1', company: 'usmf' },
  { id: '13', name: 'Service van 13', site: '1', company: 'usmf' },
  { id: '61', name: 'Retail central', site: '6', company: 'usrt' },
];

/** Vendors of F&O, kept as Field Service accounts too (purchase orders name their vendor by account), and their trade agreement prices. */
export const demoVendors = [
  {
    account: 'V-1000',
    name: 'Contoso Supplies',
    company: 'usmf',
    prices: [
      { item: 'P-1000', price: 18, discountPercentage: 5 },
      { item: 'P-1001', price: 640 },
      { item: 'P-2000', price: 5.5 },
    ],
  },
  { account: 'V-2000', name: 'Fabrikam Parts', company: 'usmf', prices: [{ item: 'P-1000', price: 19.5 }] },
];
