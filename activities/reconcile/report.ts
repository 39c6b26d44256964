import type { z } from 'zod';
import { noDriftCounts, type ReconcileReport, reportSchema, totalDrifts } from './drift';
import type { JoinPage, ReconcileScope } from './join';

/** A report so far: what the activity keeps in its heartbeat, so a retried attempt goes on counting. */
export const reportProgressSchema = reportSchema.pick({
  startedAt: true,
  checked: true,
  inFlight: true,
  counts: true,
  drifts: true,
  driftsLeftOut: true,
});
export type ReportProgress = z.infer<typeof reportProgressSchema>;

/**
 * Adds pages up into a report: counts per drift class over every page, the drifts themselves up to
 * `listed` (the rest only counted), so its size does not grow with the number of documents.
 */
export class ReportBuilder {
  readonly #progress: ReportProgress;
  readonly #listed: number;

  constructor(options: { startedAt: Date; listed?: number; resumed?: ReportProgress }) {
    this.#listed = options.listed ?? Number.POSITIVE_INFINITY;
    this.#progress = options.resumed
      ? structuredClone(options.resumed)
      : {
          startedAt: options.startedAt.toISOString(),
          checked: 0,
          inFlight: 0,
          counts: noDriftCounts(),
          drifts: [],
          driftsLeftOut: 0,
        };
  }

  add(page: JoinPage): void {
    const progress = this.#progress;
    progress.checked += page.checked;
    progress.inFlight += page.inFlight;
    for (const drift of page.drifts) {
      progress.counts[drift.class]++;
      if (progress.drifts.length < this.#listed) progress.drifts.push(drift);
      else progress.driftsLeftOut++;
    }
  }

  /** A copy of the report so far, listed drifts included (for a heartbeat, so keep `listed` small there). */
  get progress(): ReportProgress {
    return structuredClone(this.#progress);
  }

  /** The figures so far, without the drifts: cheap enough to read after every page. */
  get totals(): { checked: number; inFlight: number; drifts: number } {
    const { checked, inFlight, counts } = this.#progress;
    return { checked, inFlight, drifts: totalDrifts(counts) };
  }

  /** The report, once the last page is added; it shares its drift list with the builder. */
  report(scope: ReconcileScope, finishedAt: Date): ReconcileReport {
    return {
      legalEntity: scope.legalEntity,
      since: scope.since?.toISOString() ?? null,
      ...this.#progress,
      counts: { ...this.#progress.counts },
      finishedAt: finishedAt.toISOString(),
    };
  }
}
