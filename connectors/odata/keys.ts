import { literal, propertyName, type ODataValue } from './literals';

/**
 * A key segment: `(5a1c...)` for a primary key, `(name='value',other=2)` for an alternate or
 * composite key. Literals are percent-encoded for the path; quotes are doubled first.
 */
export function keySegment(key: ODataValue | Readonly<Record<string, ODataValue>>): string {
  if (isKeyRecord(key)) {
    const parts = Object.entries(key).map(([name, value]) => `${propertyName(name)}=${encodeLiteral(value)}`);
    if (parts.length === 0) throw new TypeError('a key needs at least one property');
    return `(${parts.join(',')})`;
  }
  return `(${encodeLiteral(key)})`;
}

function encodeLiteral(value: ODataValue): string {
  return encodeURIComponent(literal(value));
}

function isKeyRecord(key: unknown): key is Readonly<Record<string, ODataValue>> {
  return typeof key === 'object' && key !== null && Object.getPrototypeOf(key) === Object.prototype;
}
