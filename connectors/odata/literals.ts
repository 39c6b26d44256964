import type { FinanceEnum } from '../entities/finance/enums';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID, written bare (`eq 5a1c...`) as OData's Edm.Guid requires, unlike a quoted string. */
export class GuidLiteral {
  constructor(readonly value: string) {
    if (!GUID.test(value)) throw new TypeError(`not a GUID: ${JSON.stringify(value)}`);
  }
}

/** An F&O enum member, written `Microsoft.Dynamics.DataEntities.<Type>'<Member>'`. */
export class EnumLiteral {
  constructor(
    readonly type: string,
    readonly member: string,
  ) {}
}

export type ODataValue = string | number | boolean | null | Date | GuidLiteral | EnumLiteral;

export const guid = (value: string) => new GuidLiteral(value);

export function enumMember<const E extends FinanceEnum>(
  enumType: E,
  member: E['members'][number],
): EnumLiteral {
  return new EnumLiteral(enumType.type, member);
}

/**
 * A value as an OData literal. Strings are quoted with embedded quotes doubled, so a value can
 * never end the literal early and change the expression around it.
 */
export function literal(value: ODataValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof GuidLiteral) return value.value;
  return `Microsoft.Dynamics.DataEntities.${value.type}${literal(value.member)}`;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A property name or navigation path; anything else would be an injection or a typo. */
export function propertyName(name: string): string {
  if (!NAME.test(name)) throw new TypeError(`not an OData property name: ${JSON.stringify(name)}`);
  return name;
}
