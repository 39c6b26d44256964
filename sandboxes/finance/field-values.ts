import { financeEnums } from './enums';
import type { FieldType } from './schema';

export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

/** Checks a value written to an F&O field; datetimes are normalised to whole-second UTC, dates to midnight UTC. */
export function coerceField(name: string, type: FieldType, value: unknown): Coerced {
  const wrong = (expected: string): Coerced => ({
    ok: false,
    problem: `Cannot convert the literal '${JSON.stringify(value)}' of property '${name}' to the expected type '${expected}'.`,
  });
  if (typeof type === 'object') {
    const members = financeEnums[type.enum];
    if (typeof value !== 'string') return wrong(`Microsoft.Dynamics.DataEntities.${type.enum}`);
    if (!(value in members)) {
      return {
        ok: false,
        problem: `The value '${value}' is not a valid member of enum '${type.enum}' for property '${name}'.`,
      };
    }
    return { ok: true, value };
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : wrong('Edm.String');
    case 'int':
      return Number.isInteger(value) ? { ok: true, value } : wrong('Edm.Int64');
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : wrong('Edm.Decimal');
    case 'date':
    case 'datetime': {
      const time = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(time)) return wrong('Edm.DateTimeOffset');
      return { ok: true, value: type === 'date' ? normalizeDate(time) : normalizeDateTime(time) };
    }
  }
}

export function normalizeDateTime(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** F&O keeps no time in a date field: the UTC day of `time`, at midnight (`2026-03-02T00:00:00Z`). */
export function normalizeDate(time: number): string {
  return `${new Date(time).toISOString().slice(0, 10)}T00:00:00Z`;
}

/** Today (UTC) as an F&O date. */
export function today(): string {
  return normalizeDate(Date.now());
}
