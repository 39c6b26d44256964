/**
 * The subset of OData `$filter` the Data Integrator templates use: comparisons of a column with a
 * literal, joined by `and`, `or`, `not` and parentheses. A task's filter text goes to the source
 * service verbatim; the engine evaluates the same text on fetched records, so the two never disagree.
 */

type Literal = string | number | boolean | null;
type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterExpression =
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'compare'; field: string; operator: Operator; value: Literal };

type Comparison = Extract<FilterExpression, { kind: 'compare' }>;

export class FilterSyntaxError extends Error {
  constructor(message: string, filter: string, position: number) {
    super(`${message} at character ${position + 1} of "${filter}"`);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { type: 'open' | 'close'; at: number }
  | { type: 'word'; text: string; at: number }
  | { type: 'literal'; value: Literal; at: number };

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
// F&O enum literals such as Microsoft.Dynamics.DataEntities.ProjType'TimeMaterial' compare by member name.
const TOKEN =
  /\s*(?:(\()|(\))|'((?:[^']|'')*)'|([A-Za-z_][\w.]*'(?:[^']|'')*')|(-?\d+(?:\.\d+)?)\b|([A-Za-z_]\w*))/y;

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  const pattern = new RegExp(TOKEN);
  for (;;) {
    const rest = filter.slice(pattern.lastIndex);
    if (rest.trim() === '') break;
    const start = pattern.lastIndex + rest.length - rest.trimStart().length;
    const match = pattern.exec(filter);
    if (!match) throw new FilterSyntaxError('unexpected text', filter, start);
    const [, open, close, text, enumLiteral, number, word] = match;
    if (open) tokens.push({ type: 'open', at: start });
    else if (close) tokens.push({ type: 'close', at: start });
    else if (text !== undefined) tokens.push({ type: 'literal', value: text.replace(/''/g, "'"), at: start });
    else if (enumLiteral) {
      const member = enumLiteral.slice(enumLiteral.indexOf("'") + 1, -1);
      tokens.push({ type: 'literal', value: member.replace(/''/g, "'"), at: start });
    } else if (number) tokens.push({ type: 'literal', value: Number(number), at: start });
    else if (word === 'true' || word === 'false')
      tokens.push({ type: 'literal', value: word === 'true', at: start });
    else if (word === 'null') tokens.push({ type: 'literal', value: null, at: start });
    else tokens.push({ type: 'word', text: word, at: start });
  }
  return tokens;
}

// A project has a few filters, evaluated on every record: each text is parsed once.
const parsed = new Map<string, Readonly<FilterExpression>>();
const MAX_PARSED = 1_000;

export function parseFilter(filter: string): Readonly<FilterExpression> {
  let expression = parsed.get(filter);
  if (expression === undefined) {
    expression = parseFilterText(filter);
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(filter, expression);
  }
  return expression;
}

function parseFilterText(filter: string): FilterExpression {
  const tokens = tokenize(filter);
  let next = 0;
  const peek = () => tokens[next];
  const fail = (message: string): never => {
    throw new FilterSyntaxError(message, filter, peek()?.at ?? filter.length);
  };
  const isWord = (text: string) => {
    const token = peek();
    return token?.type === 'word' && token.text === text;
  };

  const parseBinary = (kind: 'and' | 'or', parseOperand: () => FilterExpression) => {
    let left = parseOperand();
    while (isWord(kind)) {
      next++;
      left = { kind, left, right: parseOperand() };
    }
    return left;
  };
  const parseOr = (): FilterExpression => parseBinary('or', parseAnd);
  const parseAnd = (): FilterExpression => parseBinary('and', parseUnary);
  const parseUnary = (): FilterExpression => {
    if (isWord('not')) {
      next++;
      return { kind: 'not', operand: parseUnary() };
    }
    const token = peek();
    if (token?.type === 'open') {
      next++;
      const inner = parseOr();
      if (peek()?.type !== 'close') fail('expected )');
      next++;
      return inner;
    }
    if (token?.type !== 'word') return fail('expected a column name');
    next++;
    const operator = peek();
    if (operator?.type !== 'word' || !OPERATORS.has(operator.text)) {
      return fail('expected eq, ne, gt, ge, lt or le');
    }
    next++;
    const value = peek();
    if (value?.type !== 'literal') return fail('expected a number, text, true, false or null');
    next++;
    return { kind: 'compare', field: token.text, operator: operator.text as Operator, value: value.value };
  };

  const expression = parseOr();
  if (next < tokens.length) fail('unexpected text');
  return expression;
}

/** Every column-with-literal comparison in a filter, in order. */
export function filterComparisons(expression: FilterExpression): Comparison[] {
  if (expression.kind === 'compare') return [expression];
  if (expression.kind === 'not') return filterComparisons(expression.operand);
  return [...filterComparisons(expression.left), ...filterComparisons(expression.right)];
}

/** The columns a filter reads, in order of first use. */
export function filterFields(expression: FilterExpression): string[] {
  return [...new Set(filterComparisons(expression).map((comparison) => comparison.field))];
}

function compare(actual: unknown, operator: Operator, expected: Literal): boolean {
  const value = actual === undefined ? null : actual;
  if (operator === 'eq') return value === expected;
  if (operator === 'ne') return value !== expected;
  const comparable =
    (typeof value === 'number' && typeof expected === 'number') ||
    (typeof value === 'string' && typeof expected === 'string');
  if (!comparable) return false;
  const [a, b] = [value, expected] as [number, number];
  if (operator === 'gt') return a > b;
  if (operator === 'ge') return a >= b;
  if (operator === 'lt') return a < b;
  return a <= b;
}

/** OData semantics for absent values: a missing column is null, so `x ne true` holds for it. */
export function evaluateFilter(
  expression: FilterExpression,
  record: Readonly<Record<string, unknown>>,
): boolean {
  switch (expression.kind) {
    case 'and':
      return evaluateFilter(expression.left, record) && evaluateFilter(expression.right, record);
    case 'or':
      return evaluateFilter(expression.left, record) || evaluateFilter(expression.right, record);
    case 'not':
      return !evaluateFilter(expression.operand, record);
    case 'compare':
      return compare(record[expression.field], expression.operator, expression.value);
  }
}
