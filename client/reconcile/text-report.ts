import { type Drift, type ReconcileReport, totalDrifts } from '../../activities/reconcile/drift';
import type { RepairOutcome } from './run';

const side = (values: Record<string, unknown> | null) =>
  values === null ? '(none)' : JSON.stringify(values);
const field = (label: string, value: string) => `  ${`${label}:`.padEnd(15)}${value}`;

/** One drift as an operator reads it: what, both sides, the workflow, and the fix. */
export function describeDrift(drift: Drift): string {
  const lines = [
    `[${drift.class}] ${drift.document} ${drift.key}: ${drift.message}`,
    field('Field Service', side(drift.fieldService)),
    field('F&O', side(drift.finance)),
  ];
  if (drift.workflow) {
    const { workflowId, status, stage } = drift.workflow;
    lines.push(field('workflow', `${workflowId} (${status}${stage ? `, ${stage}` : ''})`));
  }
  if (drift.fix.person) lines.push(field('to do', drift.fix.person));
  if (drift.fix.command) lines.push(field(drift.fix.person ? 'then run' : 'fix', drift.fix.command));
  return lines.join('\n');
}

/**
 * The counts per drift class and what `--fix` can do about them: `repairable` of the drifts have a
 * repair (counted as they came: the report need not list them), `repairs` are what `--fix` did.
 */
export function describeReport(
  report: ReconcileReport,
  repairable: number,
  repairs: readonly RepairOutcome[] | undefined,
): string {
  const scope = report.since ? `documents changed since ${report.since}` : 'all documents';
  const total = totalDrifts(report.counts);
  const lines = [
    `Reconciled ${report.legalEntity} (${scope}): ${report.checked} documents checked, ${report.inFlight} in flight.`,
    ...Object.entries(report.counts)
      .filter(([, count]) => count > 0)
      .map(([name, count]) => `  ${name}: ${count}`),
    total === 0
      ? 'No drift.'
      : `${total} drift${total === 1 ? '' : 's'}: ${repairable} repairable with --fix, ${total - repairable} need a person.`,
  ];
  if (repairs !== undefined) {
    if (repairs.length === 0) lines.push('Nothing to repair.');
    else {
      lines.push('Repairs started:');
      for (const repair of repairs) lines.push(`  ${repair.command}: ${repair.outcome}`);
      lines.push('Run "fsfo reconcile" again once their workflows have finished.');
    }
  }
  return lines.join('\n');
}
