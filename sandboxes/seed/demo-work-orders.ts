const status = {
  unscheduled: 690970000,
  scheduled: 690970001,
  inProgress: 690970002,
  completed: 690970003,
  posted: 690970004,
};
const estimated = 690970000;
const used = 690970001;

export interface ProductLine {
  product: string;
  lineStatus: number;
  allocated: boolean;
  estimate: number;
  quantity: number;
}

export interface ServiceLine {
  service: string;
  lineStatus: number;
  estimateMinutes: number;
  minutes: number;
}

/** The five demo work orders: every system status that syncs or not, lines estimated, used, allocated or not. */
export const demoWorkOrders: {
  name: string;
  status: number;
  customer: string;
  summary: string;
  products: ProductLine[];
  services: ServiceLine[];
}[] = [
  {
    name: 'WO-00001',
    status: status.unscheduled,
    customer: 'US-001',
    summary: 'Replace air filters in the cold room',
    products: [{ product: 'P-1000', lineStatus: estimated, allocated: false, estimate: 2, quantity: 0 }],
    services: [{ service: 'S-3000', lineStatus: estimated, estimateMinutes: 60, minutes: 0 }],
  },
  {
    name: 'WO-00002',
    status: status.scheduled,
    customer: 'US-002',
    summary: 'Compressor swap',
    products: [{ product: 'P-1001', lineStatus: estimated, allocated: true, estimate: 1, quantity: 0 }],
    services: [{ service: 'S-3001', lineStatus: estimated, estimateMinutes: 120, minutes: 0 }],
  },
  {
    name: 'WO-00003',
    status: status.inProgress,
    customer: 'US-003',
    summary: 'Quarterly maintenance',
    products: [
      { product: 'P-1000', lineStatus: used, allocated: true, estimate: 2, quantity: 3 },
      { product: 'P-2000', lineStatus: estimated, allocated: false, estimate: 5, quantity: 0 },
    ],
    services: [{ service: 'S-3000', lineStatus: used, estimateMinutes: 60, minutes: 90 }],
  },
  {
    name: 'WO-00004',
    status: status.completed,
    customer: 'US-001',
    summary: 'Leak repair with locally bought sealant',
    products: [
      { product: 'P-1001', lineStatus: used, allocated: true, estimate: 1, quantity: 1 },
      { product: 'P-9000', lineStatus: used, allocated: false, estimate: 0, quantity: 2 },
    ],
    services: [{ service: 'S-3000', lineStatus: used, estimateMinutes: 120, minutes: 180 }],
  },
  {
    name: 'WO-00005',
    status: status.posted,
    customer: 'US-002',
    summary: 'Annual inspection',
    products: [{ product: 'P-2000', lineStatus: used, allocated: true, estimate: 4, quantity: 4 }],
    services: [{ service: 'S-3001', lineStatus: used, estimateMinutes: 60, minutes: 60 }],
  },
];
