import type { DestinationPayload } from '../../mappings/engine';

/** F&O returns dates as date-times and numbers as numbers; Field Service's mapped values may differ only in form. */
export function same(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number') return Number(actual) === expected;
  if (typeof expected === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(expected))
    return String(actual).slice(0, 10) === expected;
  return String(expected ?? '') === String(actual ?? '');
}

function fieldDifferences(
  what: string,
  payload: DestinationPayload,
  existing: Record<string, unknown>,
): string[] {
  return Object.entries(payload.values)
    .filter(([field, value]) => value !== null && value !== undefined && !same(value, existing[field]))
    .map(
      ([field, value]) =>
        `${what} ${field}: ${JSON.stringify(existing[field])} in F&O, ${JSON.stringify(value)} in Field Service`,
    );
}

/** What Field Service says differently from a posted free text invoice, in words an operator can act on. */
export function differences(
  header: DestinationPayload,
  existingHeader: Record<string, unknown>,
  lines: readonly DestinationPayload[],
  existingLines: ReadonlyMap<number, Record<string, unknown>>,
): string[] {
  const found = fieldDifferences('header', header, existingHeader);
  const wanted = new Set<number>();
  for (const line of lines) {
    const lineNumber = Number(line.key.LineNumber);
    wanted.add(lineNumber);
    const existing = existingLines.get(lineNumber);
    if (existing) found.push(...fieldDifferences(`line ${lineNumber}`, line, existing));
    else found.push(`line ${lineNumber} is new in Field Service`);
  }
  for (const lineNumber of existingLines.keys()) {
    if (!wanted.has(lineNumber)) found.push(`line ${lineNumber} was removed in Field Service`);
  }
  return found;
}
