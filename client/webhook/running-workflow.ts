import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { workOrderChangedSignal } from '../../workflows/work-order/messages';
import { workOrderWorkflowId } from '../starters/work-order';
import type { ReportedWorkOrder } from './work-order-lookup';

export type RunningWorkflowOutcome = 'signalled' | 'already-completed';

/**
 * Acts on a work order event whose post image described the row as written, with one Temporal describe and
 * no Field Service read: a running workflow gets the notice (it ignores a version it wrote itself, so the
 * echo of its own writes costs nothing), a completed one is never started again. Undefined when neither
 * holds (no workflow yet, or one that failed): whether to start one is the mapping project's filter's to
 * say, which needs the read.
 */
export async function signalRunningWorkflow(
  client: Client,
  written: ReportedWorkOrder,
): Promise<RunningWorkflowOutcome | undefined> {
  const handle = client.workflow.getHandle(workOrderWorkflowId(written.workOrderNumber));
  try {
    const { status } = await handle.describe();
    if (status.name === 'COMPLETED') return 'already-completed';
    if (status.name !== 'RUNNING') return undefined;
    await handle.signal(workOrderChangedSignal, written.notice);
    return 'signalled';
  } catch (err) {
    // No such workflow, or it closed between the describe and the signal: the read decides.
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
