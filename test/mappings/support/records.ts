import type { z } from 'zod';
import {
  WorkOrderLineStatus,
  WorkOrderSystemStatus,
  workOrderProductSchema,
  workOrderSchema,
  workOrderServiceSchema,
} from '../../../connectors/entities/dataverse';
import type { RelatedRecords, SourceValues } from '../../../mappings/engine';
import { requiredLookups } from '../../../mappings/engine';
import type { MappingProject } from '../../../mappings/project/merge';

/** Fixture records go through the connectors' schemas, so they have the shape the flows will fetch. */
const row = <S extends z.ZodType>(schema: S, values: Record<string, unknown>) =>
  schema.parse({ '@odata.etag': 'W/"1"', ...values }) as SourceValues;

let nextId = 0;
export const id = () => `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`;

export const ids = {
  serviceAccount: id(),
  billingAccount: id(),
  currency: id(),
  unit: id(),
  product: id(),
  service: id(),
  warehouse: id(),
};

/** What the Dataverse sandbox would return for each related record, by entity set and id. */
export const relatedRows: Record<string, Record<string, SourceValues>> = {
  accounts: {
    [ids.serviceAccount]: { accountnumber: 'C-1001' },
    [ids.billingAccount]: { accountnumber: 'C-2002' },
  },
  transactioncurrencies: { [ids.currency]: { isocurrencycode: 'USD' } },
  uoms: { [ids.unit]: { name: 'Each' } },
  products: { [ids.product]: { productnumber: 'P-100' }, [ids.service]: { productnumber: 'S-200' } },
  msdyn_warehouses: { [ids.warehouse]: { msdyn_name: 'WH-13' } },
};

/**
 * Stands in for the activity that fetches related records: reads `requiredLookups` of the project's
 * tasks on this entity set, follows `_<lookup>_value`, and keeps only the requested columns.
 */
export function fetchRelated(project: MappingProject, entity: string, record: SourceValues): RelatedRecords {
  const related: Record<string, SourceValues | null> = {};
  for (const task of project.tasks.filter((candidate) => candidate.source === entity)) {
    for (const lookup of requiredLookups(task)) {
      if (lookup.lookup === task.parent?.lookup) continue;
      const id = record[`_${lookup.lookup}_value`];
      const found = typeof id === 'string' ? relatedRows[lookup.entity]?.[id] : undefined;
      related[lookup.lookup] = found
        ? Object.fromEntries(lookup.fields.map((field) => [field, found[field]]))
        : null;
    }
  }
  return related;
}

export const workOrder = (values: Record<string, unknown> = {}) =>
  row(workOrderSchema, {
    msdyn_workorderid: id(),
    msdyn_name: 'WO-00042',
    msdyn_systemstatus: WorkOrderSystemStatus.OpenScheduled,
    msdynce_hasexternallymaintainedproductsonly: true,
    _msdyn_serviceaccount_value: ids.serviceAccount,
    _msdyn_billingaccount_value: ids.billingAccount,
    _transactioncurrencyid_value: ids.currency,
    ...values,
  });

const lineValues = {
  msdyn_name: 'line',
  _msdyn_workorder_value: id(),
  _msdyn_unit_value: ids.unit,
  msdyn_linestatus: WorkOrderLineStatus.Estimated,
  msdyn_description: 'Compressor service',
  msdyn_estimateunitamount: 100,
  msdyn_estimatediscountamount: 0,
  msdyn_unitamount: 95,
  msdyn_discountamount: 5,
  _transactioncurrencyid_value: ids.currency,
};

export const productLine = (values: Record<string, unknown> = {}) =>
  row(workOrderProductSchema, {
    ...lineValues,
    msdyn_workorderproductid: id(),
    msdyn_lineorder: 1,
    _msdyn_product_value: ids.product,
    _msdyn_warehouse_value: ids.warehouse,
    msdyn_allocated: false,
    msdyn_estimatequantity: 5,
    msdyn_quantity: 0,
    ...values,
  });

export const serviceLine = (values: Record<string, unknown> = {}) =>
  row(workOrderServiceSchema, {
    ...lineValues,
    msdyn_workorderserviceid: id(),
    msdyn_lineorder: 2,
    _msdyn_service_value: ids.service,
    msdyn_estimateduration: 120,
    msdyn_duration: 0,
    ...values,
  });
