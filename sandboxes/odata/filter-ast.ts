export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterFunction = 'contains' | 'startswith' | 'endswith' | 'tolower' | 'toupper';

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'guid' | 'datetime';

export type FilterNode =
  | { kind: 'literal'; literalType: LiteralType; value: string | number | boolean | null }
  | { kind: 'enum'; enumType: string; member: string }
  | { kind: 'property'; path: string[] }
  | { kind: 'compare'; operator: ComparisonOperator; left: FilterNode; right: FilterNode }
  | { kind: 'logical'; operator: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'call'; name: FilterFunction; args: FilterNode[] };
