const BAR_WIDTH = 30;
/** A log (not a terminal) gets a line per this many documents. */
const LOG_EVERY = 1_000;

export interface ReconcileProgress {
  checked: number;
  /** Documents to check, when known. */
  total?: number;
  drifts: number;
  inFlight: number;
}

const counts = ({ drifts, inFlight }: ReconcileProgress) =>
  `${drifts} drift${drifts === 1 ? '' : 's'}, ${inFlight} in flight`;

/**
 * Progress on stderr: a bar that fills in a terminal, a line per 1,000 documents in a log. `clear` takes
 * the bar off the line before something else is printed to the terminal.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  let logged = 0;
  let shown = false;
  return {
    update(progress: ReconcileProgress): void {
      const { checked, total } = progress;
      if (stream.isTTY) {
        const of = total ? Math.min(checked / total, 1) : 0;
        const filled = Math.floor(of * BAR_WIDTH);
        const bar = total
          ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${checked}/${total}`
          : `${checked}`;
        stream.write(`\r\x1b[KReconciling ${bar} documents, ${counts(progress)}`);
        shown = true;
      } else if (Math.floor(checked / LOG_EVERY) > logged) {
        logged = Math.floor(checked / LOG_EVERY);
        stream.write(
          `Reconciling: ${checked}${total ? `/${total}` : ''} documents checked, ${counts(progress)}\n`,
        );
      }
    },
    clear(): void {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
