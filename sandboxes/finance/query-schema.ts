import type { FilterSchema, ValueKind } from '../odata/filter-evaluator';
import { enumNamespace, financeEnums } from './enums';
import type { FinanceRow } from './finance-state';
import type { EntityDefinition, FieldType } from './schema';

export function typeName(entity: EntityDefinition): string {
  return `${enumNamespace}.${entity.typeName}`;
}

function kindOf(type: FieldType): { kind: ValueKind; edmType: string } {
  if (typeof type === 'object') return { kind: 'enum', edmType: `${enumNamespace}.${type.enum}` };
  return {
    string: { kind: 'string' as const, edmType: 'Edm.String' },
    int: { kind: 'number' as const, edmType: 'Edm.Int64' },
    real: { kind: 'number' as const, edmType: 'Edm.Decimal' },
    date: { kind: 'datetime' as const, edmType: 'Edm.DateTimeOffset' },
    datetime: { kind: 'datetime' as const, edmType: 'Edm.DateTimeOffset' },
  }[type];
}

/** Fields by name; enums only compare with `eq`/`ne` against `Microsoft.Dynamics.DataEntities.<Enum>'Member'`. */
export function filterSchema(entity: EntityDefinition): FilterSchema<FinanceRow> {
  return {
    typeName: typeName(entity),
    wildcardEquals: true,
    property: (path) => {
      const type = path.length === 1 ? entity.fields[path[0]] : undefined;
      return type === undefined ? undefined : { ...kindOf(type), get: (row) => row[path[0]] };
    },
    enumMembers: (enumType) => {
      const name = enumType.startsWith(`${enumNamespace}.`)
        ? enumType.slice(enumNamespace.length + 1)
        : undefined;
      const members = name ? financeEnums[name] : undefined;
      return members ? Object.keys(members) : undefined;
    },
  };
}
