import type { Command } from 'commander';
import { previewSalesOrder, type SalesOrderPreview } from '../../activities/work-order/preview';
import { workOrderTasks } from '../../activities/work-order/work-order-tasks';
import type { Config } from '../../config/config';
import { registerPreviewCommand } from '../preview/command';
import { describePreview } from '../preview/text';

function describeSalesOrderPreview(preview: SalesOrderPreview): string {
  const { salesOrder } = preview;
  if (!salesOrder) return `Work order ${preview.workOrderNumber}: no sales order (${preview.refusal}).`;
  return describePreview({
    ...preview,
    title:
      `Work order ${preview.workOrderNumber} → F&O sales order ${salesOrder.salesOrderNumber} ` +
      `(${salesOrder.entitySet}, company ${preview.legalEntity})`,
    source: 'work order',
    document: `sales order ${salesOrder.salesOrderNumber}`,
    header: salesOrder.header,
    lines: salesOrder.lines,
    lineNumberField: 'LineCreationSequenceNumber',
    keyFields: ['SalesOrderNumber', 'dataAreaId'],
  });
}

export function registerWorkOrderPreviewCommand(workOrder: Command, loadConfig: () => Config): void {
  registerPreviewCommand(workOrder, loadConfig, {
    description:
      'the F&O sales order the work order would become now, how it differs from the one in F&O, and the ' +
      'requests a sync would send',
    preview: (config, project, { dataverse, finance }, number) =>
      previewSalesOrder(
        { dataverse, finance, tasks: workOrderTasks(project), bounds: config.salesOrderBounds },
        number,
      ),
    describe: describeSalesOrderPreview,
  });
}
