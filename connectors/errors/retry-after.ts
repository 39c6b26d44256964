/**
 * `Retry-After` in milliseconds: Dynamics 365 sends whole seconds; RFC 9110 also allows an
 * HTTP date. Anything else is ignored.
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
