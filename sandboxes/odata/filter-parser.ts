import type { ComparisonOperator, FilterFunction, FilterNode } from './filter-ast';
import { tokenize, type Token } from './filter-lexer';
import { ODataQueryError } from './query-error';

const comparisonOperators = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const functionArity: Record<FilterFunction, number> = {
  contains: 2,
  startswith: 2,
  endswith: 2,
  tolower: 1,
  toupper: 1,
};
/** Operators the OData grammar knows but neither sandboxed service evaluates. */
const unsupportedOperators = new Set(['in', 'has', 'add', 'sub', 'mul', 'div', 'mod']);

/** Parses `$filter` text into a syntax tree (precedence: not > comparison > and > or). */
export function parseFilter(filter: string): FilterNode {
  return new FilterParser(filter).parse();
}

class FilterParser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): FilterNode {
    if (this.tokens.length === 0) throw this.error('Expression expected', this.text.length);
    const node = this.parseOr();
    const extra = this.peek();
    if (extra) throw this.unexpected(extra);
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.peekKeyword('or')) {
      this.index++;
      left = { kind: 'logical', operator: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.peekKeyword('and')) {
      this.index++;
      left = { kind: 'logical', operator: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.peekKeyword('not')) {
      this.index++;
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const left = this.parsePrimary();
    const next = this.peek();
    if (next?.kind === 'name' && comparisonOperators.has(next.text)) {
      this.index++;
      return { kind: 'compare', operator: next.text as ComparisonOperator, left, right: this.parsePrimary() };
    }
    if (next?.kind === 'name' && unsupportedOperators.has(next.text)) {
      throw new ODataQueryError(
        `The '${next.text}' operator at position ${next.position} in '${this.text}' is not supported.`,
      );
    }
    return left;
  }

  private parsePrimary(): FilterNode {
    const token = this.next();
    switch (token.kind) {
      case 'open': {
        const inner = this.parseOr();
        this.expect('close', "')' or operator expected");
        return inner;
      }
      case 'string':
        return { kind: 'literal', literalType: 'string', value: token.value ?? '' };
      case 'number':
        return {
          kind: 'literal',
          literalType: 'number',
          value: Number(token.text.replace(/[mMdDfFlL]$/, '')),
        };
      case 'guid':
        return { kind: 'literal', literalType: 'guid', value: token.text.toLowerCase() };
      case 'datetime':
        return { kind: 'literal', literalType: 'datetime', value: token.text };
      case 'enum':
        return { kind: 'enum', enumType: token.text, member: token.value ?? '' };
      case 'name':
        return this.parseName(token);
      default:
        throw this.unexpected(token);
    }
  }

  private parseName(token: Token): FilterNode {
    switch (token.text) {
      case 'true':
      case 'false':
        return { kind: 'literal', literalType: 'boolean', value: token.text === 'true' };
      case 'null':
        return { kind: 'literal', literalType: 'null', value: null };
    }
    if (this.peek()?.kind === 'open') return this.parseCall(token);
    if (comparisonOperators.has(token.text) || ['and', 'or'].includes(token.text))
      throw this.unexpected(token);
    return { kind: 'property', path: token.text.split('/') };
  }

  private parseCall(token: Token): FilterNode {
    const name = token.text as FilterFunction;
    if (!(name in functionArity)) {
      throw new ODataQueryError(
        `An unknown function with name '${token.text}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
      );
    }
    this.index++;
    const args: FilterNode[] = [this.parseOr()];
    while (this.peek()?.kind === 'comma') {
      this.index++;
      args.push(this.parseOr());
    }
    this.expect('close', "')' or ',' expected");
    if (args.length !== functionArity[name]) {
      throw new ODataQueryError(
        `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(${Array(functionArity[name]).fill('Edm.String').join(', ')}).`,
      );
    }
    return { kind: 'call', name, args };
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.kind === 'name' && token.text === keyword;
  }

  private next(): Token {
    const token = this.tokens[this.index++];
    if (!token) throw this.error('Expression expected', this.text.length);
    return token;
  }

  private expect(kind: Token['kind'], message: string): void {
    const token = this.tokens[this.index];
    if (token?.kind !== kind) throw this.error(message, token?.position ?? this.text.length);
    this.index++;
  }

  private unexpected(token: Token): ODataQueryError {
    return this.error('Syntax error', token.position);
  }

  private error(message: string, position: number): ODataQueryError {
    return new ODataQueryError(`${message} at position ${position} in '${this.text}'.`);
  }
}
