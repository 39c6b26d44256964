import type { Command } from 'commander';
import { previewSalesOrder, type SalesOrderPreview } from '../../activities/work-order/preview';
import { workOrderTasks } from '../../activities/work-order/work-order-tasks';
import type { Config } from '../../config/config';
import { withPreviewProject } from '../preview/project';
import { describeDifference, describeRequests, values } from '../preview/text';

const LINE_KEY = ['SalesOrderNumber', 'LineCreationSequenceNumber', 'dataAreaId'];

export function describeSalesOrderPreview(preview: SalesOrderPreview): string {
  const { salesOrder } = preview;
  const text: string[] = [];
  if (!salesOrder) {
    text.push(
      `Work order ${preview.workOrderNumber}: no sales order (${preview.refusal ?? 'nothing mapped'}).`,
    );
    return text.join('\n');
  }
  text.push(
    `Work order ${preview.workOrderNumber} → F&O sales order ${salesOrder.salesOrderNumber} ` +
      `(${salesOrder.entitySet}, company ${preview.legalEntity})`,
    `  Header: ${values(salesOrder.header, ['SalesOrderNumber', 'dataAreaId'])}`,
    ...salesOrder.lines.map(
      (line) => `  Line ${String(line.LineCreationSequenceNumber)}: ${values(line, LINE_KEY)}`,
    ),
    '',
  );
  if (!preview.exists) text.push(`F&O has no sales order ${salesOrder.salesOrderNumber}: a sync creates it.`);
  else if (preview.differences.length === 0)
    text.push(`F&O's sales order ${salesOrder.salesOrderNumber} is what the work order maps to.`);
  else {
    text.push(`Differences against F&O's sales order ${salesOrder.salesOrderNumber}:`);
    text.push(...preview.differences.map((d) => `  ${describeDifference(d, 'work order')}`));
  }
  text.push('');
  if (preview.refusal) text.push(`A sync would stop, writing nothing: ${preview.refusal}`);
  else {
    text.push('A sync would send (in one $batch per change set; nothing was sent now):');
    text.push(...describeRequests(preview.requests));
  }
  return text.join('\n');
}

export function registerWorkOrderPreviewCommand(workOrder: Command, loadConfig: () => Config): void {
  workOrder
    .command('preview <number>')
    .description(
      'the F&O sales order the work order would become now, how it differs from the one in F&O, and the ' +
        'requests a sync would send; writes nothing and starts no workflow',
    )
    .option('--mapping <file>', 'a mapping project file to try instead of MAPPING_PROJECT')
    .option('--json', 'print the preview as JSON')
    .action(async (number: string, options: { mapping?: string; json?: boolean }) => {
      const config = loadConfig();
      await withPreviewProject(config, options.mapping, async (project, { dataverse, finance }) => {
        const preview = await previewSalesOrder(
          { dataverse, finance, tasks: workOrderTasks(project), bounds: config.salesOrderBounds },
          number,
        );
        console.log(options.json ? JSON.stringify(preview, null, 2) : describeSalesOrderPreview(preview));
      });
    });
}
