import type { BackfillProgress } from '../work-order-backfill';

const BAR_WIDTH = 30;

function progressBar({ total, started, alreadyCompleted, failed }: BackfillProgress): string {
  const done = started + alreadyCompleted + failed;
  const filled = total === 0 ? BAR_WIDTH : Math.floor((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`;
}

export const backfillCounts = ({ started, alreadyCompleted, failed }: BackfillProgress) =>
  `${started} started or signalled, ${alreadyCompleted} already completed, ${failed} failed`;

/** A terminal shows a bar that fills; a log gets a line every 100 work orders. */
export function reportBackfill(
  progress: BackfillProgress,
  failure?: { workOrderNumber: string; message: string },
) {
  const done = progress.started + progress.alreadyCompleted + progress.failed;
  if (failure) {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    console.error(`${failure.workOrderNumber}: ${failure.message}`);
  }
  if (process.stderr.isTTY) {
    process.stderr.write(`\r\x1b[KBackfilling ${progressBar(progress)}  ${backfillCounts(progress)}`);
    if (done === progress.total) process.stderr.write('\n');
  } else if (done === 0 || done % 100 === 0) {
    console.error(`Backfilling ${done}/${progress.total}: ${backfillCounts(progress)}`);
  }
}
