import { splitTopLevel } from './query-options';

export type KeyValue = string | number;

/** `(guid)` gives one unnamed value; `(a='x',b=2)` gives named values. */
export type KeySegment =
  { kind: 'single'; value: KeyValue } | { kind: 'named'; values: Map<string, KeyValue> };

/** Parses the text between the parentheses of `Set(<key>)`; `undefined` when it is not a valid key. */
export function parseKeySegment(text: string): KeySegment | undefined {
  const parts = splitTopLevel(text, ',');
  if (parts.length === 1 && !/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(parts[0])) {
    const value = parseKeyValue(parts[0].trim());
    return value === undefined ? undefined : { kind: 'single', value };
  }
  const values = new Map<string, KeyValue>();
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals === -1) return undefined;
    const name = part.slice(0, equals).trim();
    const value = parseKeyValue(part.slice(equals + 1).trim());
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || value === undefined || values.has(name)) return undefined;
    values.set(name, value);
  }
  return { kind: 'named', values };
}

function parseKeyValue(text: string): KeyValue | undefined {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) {
    const inner = text.slice(1, -1);
    if (inner.replace(/''/g, '').includes("'")) return undefined;
    return inner.replace(/''/g, "'");
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[0-9a-fA-F-]{36}$/.test(text)) return text.toLowerCase();
  if (/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) return text;
  return undefined;
}
