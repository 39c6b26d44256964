import type { FilterNode } from './filter-ast';
import { parseFilter } from './filter-parser';
import { ODataQueryError } from './query-error';

export interface OrderByItem {
  path: string[];
  descending: boolean;
}

export interface ExpandItem {
  navigation: string;
  options: QueryOptions;
}

export interface QueryOptions {
  select?: string[];
  filter?: FilterNode;
  orderBy?: OrderByItem[];
  top?: number;
  skip?: number;
  count?: boolean;
  expand?: ExpandItem[];
  skipToken?: string;
}

const knownOptions = ['$select', '$filter', '$orderby', '$top', '$skip', '$count', '$expand', '$skiptoken'];

/**
 * Reads the system query options of a URL (or of an `$expand` item). Other names beginning with `$` are
 * refused as the OData URI parser refuses them; names without `$` (such as `cross-company`) are left alone.
 */
export function parseQueryOptions(entries: Iterable<[string, string]>): QueryOptions {
  const options: QueryOptions = {};
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (!name.startsWith('$')) continue;
    if (!knownOptions.includes(name)) {
      throw new ODataQueryError(`The query parameter '${name}' is not supported.`);
    }
    if (seen.has(name)) {
      throw new ODataQueryError(
        `Query option '${name}' was specified more than once, but it must be specified at most once.`,
      );
    }
    seen.add(name);
    applyOption(options, name, value);
  }
  return options;
}

function applyOption(options: QueryOptions, name: string, value: string): void {
  switch (name) {
    case '$select':
      options.select = splitTopLevel(value, ',').map((item) => item.trim());
      if (options.select.some((item) => item === ''))
        throw new ODataQueryError(`Syntax error in $select: '${value}'.`);
      return;
    case '$filter':
      options.filter = parseFilter(value);
      return;
    case '$orderby':
      options.orderBy = parseOrderBy(value);
      return;
    case '$top':
      options.top = parseCount(name, value);
      return;
    case '$skip':
      options.skip = parseCount(name, value);
      return;
    case '$count':
      if (value !== 'true' && value !== 'false') {
        throw new ODataQueryError(`'${value}' is not a valid count option.`);
      }
      options.count = value === 'true';
      return;
    case '$expand':
      options.expand = splitTopLevel(value, ',').map(parseExpandItem);
      return;
    case '$skiptoken':
      options.skipToken = value;
      return;
  }
}

function parseCount(name: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new ODataQueryError(
      `Invalid value '${value}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`,
    );
  }
  return Number(value);
}

function parseOrderBy(value: string): OrderByItem[] {
  return splitTopLevel(value, ',').map((item) => {
    const parts = item.trim().split(/\s+/);
    const direction = parts[1]?.toLowerCase();
    if (
      parts.length > 2 ||
      parts[0] === '' ||
      (direction !== undefined && direction !== 'asc' && direction !== 'desc')
    ) {
      throw new ODataQueryError(`Syntax error in $orderby at '${item.trim()}'.`);
    }
    return { path: parts[0].split('/'), descending: direction === 'desc' };
  });
}

function parseExpandItem(item: string): ExpandItem {
  const trimmed = item.trim();
  const open = trimmed.indexOf('(');
  if (open === -1) return { navigation: trimmed, options: {} };
  if (!trimmed.endsWith(')')) throw new ODataQueryError(`Syntax error in $expand at '${trimmed}'.`);
  const inner = trimmed.slice(open + 1, -1);
  const entries = splitTopLevel(inner, ';').map((pair): [string, string] => {
    const equals = pair.indexOf('=');
    if (equals === -1) throw new ODataQueryError(`Syntax error in $expand at '${pair}'.`);
    return [pair.slice(0, equals).trim(), pair.slice(equals + 1)];
  });
  return { navigation: trimmed.slice(0, open).trim(), options: parseQueryOptions(entries) };
}

/** Splits on a separator that sits outside parentheses and string literals. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')') depth--;
    if (char === separator && depth === 0 && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
