import type { z } from 'zod';

/**
 * What a read returns for a `$select` of `C`: only those columns when the list is literal, the
 * whole record when no list (or a computed one) is given.
 */
export type Selected<Row, C extends string> = string extends C
  ? Row
  : Pick<Row, Extract<C, keyof Row>> & Record<string, unknown>;

/** The schema a response is checked against: with `$select`, only the selected columns are there. */
export function selectedSchema(schema: z.ZodObject, select: readonly string[] | undefined): z.ZodObject {
  if (select === undefined) return schema;
  const mask: Parameters<z.ZodObject['pick']>[0] = Object.fromEntries(
    Object.keys(schema.shape)
      .filter((column) => select.includes(column))
      .map((column) => [column, true as const]),
  );
  return schema.pick(mask);
}
