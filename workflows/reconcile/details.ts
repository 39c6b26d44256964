import type { ReconcileReport } from '../../activities/reconcile/drift';

/** Drifts the details list by name; the result holds the rest the report kept. */
const DETAILED_DRIFTS = 10;

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The report in one line, e.g. `3 drifts (2 lines differ, 1 orphan); 120 documents checked, 2 in flight`. */
export function reportSummary(report: ReconcileReport): string {
  const found = Object.entries(report.counts).filter(([, count]) => count > 0);
  const total = found.reduce((sum, [, count]) => sum + count, 0);
  const drifts =
    total === 0
      ? 'no drift'
      : `${total} drift${total === 1 ? '' : 's'} (${found.map(([name, count]) => `${count} ${name}`).join(', ')})`;
  return `${drifts}; ${report.checked} documents checked, ${report.inFlight} in flight`;
}

/** The report as Temporal Web shows it in the run's current details: counts per class, then the first drifts. */
export function reportDetails(report: ReconcileReport): string {
  const lines = [
    `**Reconciliation of ${report.legalEntity}**${report.since ? ` (changes since ${report.since})` : ''}: ${reportSummary(report)}`,
    '',
    '| drift class | count |',
    '| --- | ---: |',
    ...Object.entries(report.counts).map(([name, count]) => `| ${name} | ${count} |`),
  ];
  const shown = report.drifts.slice(0, DETAILED_DRIFTS);
  if (shown.length > 0) {
    lines.push('', '| class | document | message | fix |', '| --- | --- | --- | --- |');
    for (const drift of shown) {
      const fix = drift.fix.command ? `\`${drift.fix.command}\`` : '';
      const person = drift.fix.person ?? '';
      lines.push(
        `| ${drift.class} | ${cell(`${drift.document} ${drift.key}`)} | ${cell(drift.message)} | ${cell([person, fix].filter(Boolean).join(' '))} |`,
      );
    }
    const more = report.drifts.length - shown.length + report.driftsLeftOut;
    if (more > 0) lines.push('', `… and ${more} more: \`fsfo reconcile\` lists them all.`);
  }
  return lines.join('\n');
}
