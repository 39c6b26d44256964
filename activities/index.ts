import type { Config } from '../config/config';
import { type Connectors, createConnectors } from '../connectors';
import type { MappingProject } from '../mappings/project/merge';
import { createAgreementInvoiceActivities } from './agreement-invoice';
import { createDoctorActivities } from './doctor';
import { createInventoryActivities } from './inventory';
import { createMasterDataActivities } from './master-data';
import { createNotificationActivities } from './notifications';
import { createPurchaseOrderActivities } from './purchase-order';
import { createReconcileActivities } from './reconcile';
import { createWatcherActivities } from './watchers';
import { createWorkOrderActivities } from './work-order';

/** Every activity the worker registers, bound to its configuration and clients. */
export function createActivities(
  config: Config,
  project: MappingProject,
  connectors: Connectors = createConnectors(config),
) {
  return {
    ...createDoctorActivities(config),
    ...createWorkOrderActivities(connectors, project, config.salesOrderBounds),
    ...createAgreementInvoiceActivities(connectors, project),
    ...createInventoryActivities(connectors, project),
    ...createWatcherActivities(config, connectors, project),
    ...createMasterDataActivities(config, connectors, project),
    ...createPurchaseOrderActivities(connectors, project),
    ...createReconcileActivities(config, connectors, project),
    ...createNotificationActivities(config),
  };
}
