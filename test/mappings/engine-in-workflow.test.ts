import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkOrderLineStatus } from '../../connectors/entities/dataverse';
import { mapWorkOrder } from '../../mappings/engine';
import { loadMappingProject } from '../../mappings/project/loader';
import { connectToTestServer, uniqueTaskQueue } from '../support/temporal';
import { mapWorkOrderInWorkflow } from './support/mapping-workflow';
import { fetchRelated, productLine, serviceLine, workOrder } from './support/records';
import { connectorCatalog } from '../../connectors/entities/catalog';

const engineDir = path.join(__dirname, '..', '..', 'mappings', 'engine');

test('the engine imports nothing but itself and types, and reads no clock or randomness', () => {
  for (const file of readdirSync(engineDir)) {
    const source = readFileSync(path.join(engineDir, file), 'utf8');
    const imports = [...source.matchAll(/^(?:import|export)(?: type)? .* from '([^']+)';$/gm)].map(
      (match) => ({
        statement: match[0],
        from: match[1],
      }),
    );
    for (const { statement, from } of imports) {
      if (from.startsWith('./')) continue;
      expect(`${file}: ${statement}`).toMatch(/^[\w.-]+: (import|export) type /);
    }
    expect(source).not.toMatch(/Date\.now|Math\.random|new Date\(\)|process\.|require\(/);
  }
});

describe('the engine inside a Temporal workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await connectToTestServer();
  });
  afterAll(() => env?.teardown());

  test('maps a work order in the workflow sandbox exactly as it does outside', async () => {
    const project = loadMappingProject('standard', connectorCatalog());
    const header = workOrder();
    const source = (entity: string, record: typeof header) => ({
      record,
      related: fetchRelated(project, entity, record),
    });
    const document = {
      header: source('msdyn_workorders', header),
      lines: {
        msdyn_workorderproducts: [source('msdyn_workorderproducts', productLine({ msdyn_allocated: true }))],
        msdyn_workorderservices: [
          source(
            'msdyn_workorderservices',
            serviceLine({ msdyn_linestatus: WorkOrderLineStatus.Used, msdyn_duration: 90 }),
          ),
        ],
      },
    };
    const taskQueue = uniqueTaskQueue('mapping-engine');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./support/mapping-workflow'),
        logger: new DefaultLogger('WARN'),
      }),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(mapWorkOrderInWorkflow, {
        taskQueue,
        workflowId: `map-work-order-${taskQueue}`,
        args: [project, document],
      }),
    );
    expect(result).toEqual(mapWorkOrder(project, document));
    expect(result.synced && result.lines.map((line) => line.values.OrderedSalesQuantity)).toEqual([1.5, 5]);
  });
});
