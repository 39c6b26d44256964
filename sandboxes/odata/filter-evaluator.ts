import type { ComparisonOperator, FilterNode } from './filter-ast';
import { ODataQueryError } from './query-error';

export type ValueKind = 'string' | 'number' | 'boolean' | 'guid' | 'datetime' | 'enum';

export interface PropertyAccessor<Row> {
  kind: ValueKind;
  /** EDM type name for error messages, e.g. `Edm.Int32` or `Microsoft.Dynamics.DataEntities.NoYes`. */
  edmType: string;
  get(row: Row): unknown;
}

export interface FilterSchema<Row> {
  /** The entity type, for messages: `Microsoft.Dynamics.CRM.account`. */
  typeName: string;
  property(path: string[]): PropertyAccessor<Row> | undefined;
  /** F&O treats `*` in a string compared with `eq` as a wildcard. */
  wildcardEquals?: boolean;
  /** The members of an enum type named in a `Namespace.Type'Member'` literal; `undefined` if the type is unknown. */
  enumMembers?(enumType: string): string[] | undefined;
}

export type RowPredicate<Row> = (row: Row) => boolean;

interface Operand<Row> {
  kind: ValueKind | 'null';
  edmType: string;
  enumType?: string;
  evaluate(row: Row): unknown;
}

const edmByLiteral = {
  string: 'Edm.String',
  number: 'Edm.Decimal',
  boolean: 'Edm.Boolean',
  null: '<null>',
  guid: 'Edm.Guid',
  datetime: 'Edm.DateTimeOffset',
} as const;

const operatorKind: Record<ComparisonOperator, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

/** Type-checks a filter tree against a schema and turns it into a predicate over rows. */
export function compileFilter<Row>(node: FilterNode, schema: FilterSchema<Row>): RowPredicate<Row> {
  const operand = compileOperand(node, schema);
  if (operand.kind !== 'boolean') {
    throw new ODataQueryError(`The $filter expression must evaluate to a single boolean value.`);
  }
  return (row) => operand.evaluate(row) === true;
}

function compileOperand<Row>(node: FilterNode, schema: FilterSchema<Row>): Operand<Row> {
  switch (node.kind) {
    case 'literal':
      return { kind: node.literalType, edmType: edmByLiteral[node.literalType], evaluate: () => node.value };
    case 'enum': {
      const members = schema.enumMembers?.(node.enumType);
      if (!members) throw new ODataQueryError(`The type '${node.enumType}' is not a known enum type.`);
      if (!members.includes(node.member)) {
        throw new ODataQueryError(
          `The string '${node.member}' is not a valid enumerated type constant of '${node.enumType}'.`,
        );
      }
      return {
        kind: 'enum',
        edmType: node.enumType,
        enumType: node.enumType,
        evaluate: () => node.member,
      };
    }
    case 'property': {
      const accessor = schema.property(node.path);
      if (!accessor) {
        throw new ODataQueryError(
          `Could not find a property named '${node.path.join('/')}' on type '${schema.typeName}'.`,
        );
      }
      return {
        kind: accessor.kind,
        edmType: accessor.edmType,
        enumType: accessor.kind === 'enum' ? accessor.edmType : undefined,
        evaluate: (row) => accessor.get(row) ?? null,
      };
    }
    case 'not': {
      const operand = requireBoolean(compileOperand(node.operand, schema), 'Not');
      return { kind: 'boolean', edmType: 'Edm.Boolean', evaluate: (row) => operand.evaluate(row) !== true };
    }
    case 'logical': {
      const left = requireBoolean(compileOperand(node.left, schema), node.operator);
      const right = requireBoolean(compileOperand(node.right, schema), node.operator);
      const evaluate =
        node.operator === 'and'
          ? (row: Row) => left.evaluate(row) === true && right.evaluate(row) === true
          : (row: Row) => left.evaluate(row) === true || right.evaluate(row) === true;
      return { kind: 'boolean', edmType: 'Edm.Boolean', evaluate };
    }
    case 'compare':
      return compileComparison(
        node.operator,
        compileOperand(node.left, schema),
        compileOperand(node.right, schema),
        schema,
      );
    case 'call':
      return compileCall(
        node.name,
        node.args.map((arg) => compileOperand(arg, schema)),
      );
  }
}

function requireBoolean<Row>(operand: Operand<Row>, operator: string): Operand<Row> {
  if (operand.kind !== 'boolean') {
    throw new ODataQueryError(
      `A binary operator with incompatible types was detected. Found operand types '${operand.edmType}' and 'Edm.Boolean' for operator kind '${operator}'.`,
    );
  }
  return operand;
}

function compatible(left: Operand<unknown>, right: Operand<unknown>): boolean {
  if (left.kind === 'null' || right.kind === 'null') return true;
  if (left.kind === 'enum' && right.kind === 'enum') return left.enumType === right.enumType;
  if (left.kind === 'enum' || right.kind === 'enum') {
    return left.kind === 'string' || right.kind === 'string';
  }
  return left.kind === right.kind;
}

function compileComparison<Row>(
  operator: ComparisonOperator,
  left: Operand<Row>,
  right: Operand<Row>,
  schema: FilterSchema<Row>,
): Operand<Row> {
  const incompatible = !compatible(left, right);
  const orderedEnum =
    (left.kind === 'enum' || right.kind === 'enum') && operator !== 'eq' && operator !== 'ne';
  if (incompatible || orderedEnum) {
    throw new ODataQueryError(
      `A binary operator with incompatible types was detected. Found operand types '${left.edmType}' and '${right.edmType}' for operator kind '${operatorKind[operator]}'.`,
    );
  }
  const kind = left.kind === 'null' ? right.kind : left.kind;
  const wildcard =
    schema.wildcardEquals === true && kind === 'string' && (operator === 'eq' || operator === 'ne');
  return {
    kind: 'boolean',
    edmType: 'Edm.Boolean',
    evaluate: (row) => {
      const a = normalize(left.evaluate(row), kind);
      const b = normalize(right.evaluate(row), kind);
      if (wildcard && typeof b === 'string' && b.includes('*')) {
        const matches = typeof a === 'string' && wildcardPattern(b).test(a);
        return operator === 'eq' ? matches : !matches;
      }
      return compareValues(operator, a, b);
    },
  };
}

function normalize(value: unknown, kind: ValueKind | 'null'): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'datetime' && typeof value === 'string') return Date.parse(value);
  if (typeof value === 'string' && kind !== 'enum') return value.toLowerCase();
  return value;
}

function compareValues(operator: ComparisonOperator, a: unknown, b: unknown): boolean {
  if (operator === 'eq') return a === b;
  if (operator === 'ne') return a !== b;
  if (a === null || b === null) return false;
  const order = (a as number | string) < (b as number | string) ? -1 : a === b ? 0 : 1;
  switch (operator) {
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

function wildcardPattern(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}

function compileCall<Row>(name: string, args: Operand<Row>[]): Operand<Row> {
  for (const arg of args) {
    if (arg.kind !== 'string' && arg.kind !== 'null') {
      throw new ODataQueryError(
        `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(${args.map(() => 'Edm.String').join(', ')}).`,
      );
    }
  }
  const text = (row: Row, index: number): string | null => {
    const value = args[index].evaluate(row);
    return typeof value === 'string' ? value.toLowerCase() : null;
  };
  if (name === 'tolower' || name === 'toupper') {
    return {
      kind: 'string',
      edmType: 'Edm.String',
      evaluate: (row) => {
        const value = args[0].evaluate(row);
        if (typeof value !== 'string') return null;
        return name === 'tolower' ? value.toLowerCase() : value.toUpperCase();
      },
    };
  }
  const test = {
    contains: (a: string, b: string) => a.includes(b),
    startswith: (a: string, b: string) => a.startsWith(b),
    endswith: (a: string, b: string) => a.endsWith(b),
  }[name as 'contains' | 'startswith' | 'endswith'];
  return {
    kind: 'boolean',
    edmType: 'Edm.Boolean',
    evaluate: (row) => {
      const a = text(row, 0);
      const b = text(row, 1);
      return a !== null && b !== null && test(a, b);
    },
  };
}
