import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createFloorActivities } from '../../activities/bench/floor';

/**
 * The benchmark's own worker for the floor workflow (`workflows/bench`), run as a child process like
 * the product's worker so both are measured the same way. Environment: TEMPORAL_ADDRESS,
 * TEMPORAL_TASK_QUEUE, BENCH_FLOOR_ACTIVITIES (comma-separated activity names).
 */
async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE;
  const names = (process.env.BENCH_FLOOR_ACTIVITIES ?? '').split(',').filter(Boolean);
  if (!address || !taskQueue || names.length === 0) {
    console.error('TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE and BENCH_FLOOR_ACTIVITIES are required');
    process.exit(2);
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue,
      workflowsPath: require.resolve('../../workflows/bench'),
      activities: createFloorActivities(names),
      shutdownGraceTime: '10 seconds',
    });
    console.log(`Worker polling task queue "${taskQueue}" on ${address} (floor)`);
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
