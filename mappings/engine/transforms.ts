import type { Transform } from '../project/schema';
import { RecordMappingError } from './record-mapping-error';

function requireNumber(value: unknown, transform: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RecordMappingError(`${transform} needs a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireString(value: unknown, transform: string): string {
  if (typeof value !== 'string') {
    throw new RecordMappingError(`${transform} needs text, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Rounds half away from zero in decimal, so 1.005 at 2 decimals gives 1.01 (not the binary 1.00). */
function round(value: number, decimals: number): number {
  const shifted = Math.round(Number(`${Math.abs(value)}e${decimals}`));
  const rounded = Math.sign(value) * Number(`${shifted}e-${decimals}`);
  return rounded === 0 ? 0 : rounded;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** A date-time without a zone counts as UTC: JavaScript would read it in the machine's time zone. */
function parseIsoDate(text: string): Date {
  if (ISO_DATE.test(text)) return new Date(`${text}T00:00:00Z`);
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return new Date(Number.NaN);
  return new Date(match[3] === undefined ? `${text}Z` : text);
}

/** Formats an ISO date or date-time in UTC, so the result never depends on where it runs. */
function formatDate(value: unknown, pattern: string): string {
  const date = parseIsoDate(requireString(value, 'date'));
  if (Number.isNaN(date.getTime())) {
    throw new RecordMappingError(`date needs an ISO date, got ${JSON.stringify(value)}`);
  }
  const parts: Record<string, string> = {
    yyyy: pad(date.getUTCFullYear(), 4),
    MM: pad(date.getUTCMonth() + 1),
    dd: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
  };
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => parts[token]);
}

export function applyTransform(value: unknown, transform: Transform): unknown {
  if (transform === 'minutesToHours') return requireNumber(value, transform) / 60;
  if (transform === 'negate') return 0 - requireNumber(value, transform);
  if (transform === 'trim') return requireString(value, transform).trim();
  if ('truncate' in transform) {
    if (transform.truncate === 'target') {
      throw new RecordMappingError('truncate: target was not resolved to a length when the project loaded');
    }
    return requireString(value, 'truncate').slice(0, transform.truncate);
  }
  if ('round' in transform) return round(requireNumber(value, 'round'), transform.round);
  return formatDate(value, transform.date);
}

/** A readable name for a transform, for messages and the `mapping show` table. */
export function describeTransform(transform: Transform): string {
  if (typeof transform === 'string') return transform;
  const [name, argument] = Object.entries(transform)[0];
  return `${name}(${String(argument)})`;
}
