import { ODataQueryError } from './query-error';

export type TokenKind =
  'open' | 'close' | 'comma' | 'string' | 'number' | 'guid' | 'datetime' | 'name' | 'enum';

export interface Token {
  kind: TokenKind;
  text: string;
  position: number;
  /** For `string`: the unescaped value. For `enum`: the member. */
  value?: string;
}

const guidPattern =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z_])/;
const dateTimePattern =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?(?![0-9A-Za-z_])/;
const numberPattern = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?(?![0-9A-Za-z_])/;
const namePattern = /^[A-Za-z_$@][A-Za-z0-9_.@]*(\/[A-Za-z_][A-Za-z0-9_.]*)*/;

/** Splits a `$filter` expression into tokens, reporting positions the way the OData URI parser does. */
export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const char = filter[i];
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const rest = filter.slice(i);
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({
        kind: char === '(' ? 'open' : char === ')' ? 'close' : 'comma',
        text: char,
        position: i,
      });
      i++;
      continue;
    }
    if (char === "'") {
      const { value, end } = readString(filter, i);
      tokens.push({ kind: 'string', text: filter.slice(i, end), value, position: i });
      i = end;
      continue;
    }
    const match =
      matchToken(rest, guidPattern, 'guid') ??
      matchToken(rest, dateTimePattern, 'datetime') ??
      matchToken(rest, numberPattern, 'number');
    if (match) {
      tokens.push({ ...match, position: i });
      i += match.text.length;
      continue;
    }
    const name = namePattern.exec(rest);
    if (name) {
      const end = i + name[0].length;
      if (filter[end] === "'" && name[0].includes('.')) {
        const { value, end: stringEnd } = readString(filter, end);
        tokens.push({ kind: 'enum', text: name[0], value, position: i });
        i = stringEnd;
      } else {
        tokens.push({ kind: 'name', text: name[0], position: i });
        i = end;
      }
      continue;
    }
    throw new ODataQueryError(
      `Syntax error: character '${char}' is not valid at position ${i} in '${filter}'.`,
    );
  }
  return tokens;
}

function matchToken(text: string, pattern: RegExp, kind: TokenKind): Omit<Token, 'position'> | undefined {
  const match = pattern.exec(text);
  return match ? { kind, text: match[0] } : undefined;
}

function readString(filter: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < filter.length) {
    if (filter[i] === "'") {
      if (filter[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += filter[i];
    i++;
  }
  throw new ODataQueryError(`There is an unterminated string literal at position ${start} in '${filter}'.`);
}
