import type { RequestPreview } from '../../activities/document-preview';
import { show, type ValueDifference } from '../../activities/reconcile/value-differences';

/** A record's values as `Field value, Field value`, key fields left out. */
const values = (record: Readonly<Record<string, unknown>>, key: readonly string[]): string =>
  Object.entries(record)
    .filter(([field]) => !key.includes(field))
    .map(([field, value]) => `${field} ${show(value)}`)
    .join(', ');

/** One difference per line: a header field, a line added or removed, a line's field. */
function describeDifference(difference: ValueDifference, source: string): string {
  const where = difference.line === undefined ? 'header' : `line ${difference.line}`;
  if (difference.field === 'line') {
    return difference.finance === null ? `${where}: added` : `${where}: removed (only in F&O)`;
  }
  return `${where} ${difference.field}: F&O ${show(difference.finance)}, ${source} ${show(difference.fieldService)}`;
}

const keyText = (key: Readonly<Record<string, unknown>>) =>
  Object.entries(key)
    .map(([field, value]) => `${field}=${show(value)}`)
    .join(',');

/** What a preview prints about one document, whatever its flow. */
export interface PreviewText {
  /** e.g. "Work order WO-1 → F&O sales order WO-1 (CDSSalesOrderHeaders, company usmf)". */
  title: string;
  /** The source document in a difference, e.g. "work order". */
  source: string;
  /** The F&O document, e.g. "sales order WO-1". */
  document: string;
  header: Readonly<Record<string, unknown>>;
  lines: readonly Readonly<Record<string, unknown>>[];
  lineNumberField: string;
  /** Key fields left out of the header's and lines' values. */
  keyFields: readonly string[];
  exists: boolean;
  differences: readonly ValueDifference[];
  refusal?: string;
  requests: readonly RequestPreview[];
}

export function describePreview(preview: PreviewText): string {
  const text = [
    preview.title,
    `  Header: ${values(preview.header, preview.keyFields)}`,
    ...preview.lines.map(
      (line) =>
        `  Line ${show(line[preview.lineNumberField])}: ${values(line, [...preview.keyFields, preview.lineNumberField])}`,
    ),
    '',
  ];
  if (!preview.exists) text.push(`F&O has no ${preview.document}: a sync creates it.`);
  else if (preview.differences.length === 0)
    text.push(`F&O's ${preview.document} is what the ${preview.source} maps to.`);
  else {
    text.push(`Differences against F&O's ${preview.document}:`);
    text.push(...preview.differences.map((d) => `  ${describeDifference(d, preview.source)}`));
  }
  text.push('');
  if (preview.refusal) text.push(`A sync would stop, writing nothing: ${preview.refusal}`);
  else if (preview.requests.length === 0) text.push('A sync would send no write.');
  else {
    text.push('A sync would send (one $batch per change set; nothing was sent now):');
    text.push(
      ...preview.requests.map(
        (request) =>
          `  ${request.method.padEnd(6)} ${request.entitySet}(${keyText(request.key)})  [${request.changeSet} change set]`,
      ),
    );
  }
  return text.join('\n');
}
