import { isWorkOrderHeader } from '../../activities/watchers/header-filter';
import { findTask, sourceFields } from '../../mappings/engine';
import type { MappingProject } from '../../mappings/project/merge';

/**
 * What the integration's plug-ins and Field Service keep on the header from the lines (totals) and its
 * eligibility: a line added, changed or removed moves a total; a product becoming externally
 * maintained moves the flag. And a service manager's decision on invoicing.
 */
const ALWAYS = [
  'fsfo_invoicingdecision',
  'msdyn_systemstatus',
  'msdyn_totalamount',
  'msdyn_subtotalamount',
  'msdyn_estimatesubtotalamount',
  'msdynce_hasexternallymaintainedproductsonly',
];

/**
 * The work order columns whose change the Update step reports (its filtering attributes): those the
 * mapping project's header task reads or filters on (lookups by their logical name) and the ones above.
 * A change to anything else cannot change the sales order or the work order's eligibility.
 */
export function workOrderStepAttributes(project: MappingProject): string[] {
  const header = findTask(project, isWorkOrderHeader, 'work order task');
  const read = sourceFields(header).map((field) => /^_(.+)_value$/.exec(field)?.[1] ?? field);
  return [...new Set([...ALWAYS, ...read])].filter((name) => name !== 'msdyn_workorderid').sort();
}
