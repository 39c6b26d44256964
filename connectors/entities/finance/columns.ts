import { z } from 'zod';

/** Field types as F&O OData serializes them (docs/dynamics-365-wire.md#fo-values): unset strings are `""`, not null. */
export const text = z.string();
export const decimal = z.number();
export const integer = z.number().int();
/** Dates and date-times: ISO 8601 strings. */
export const date = z.string();

/**
 * Every F&O record belongs to a legal entity (`dataAreaId`, lower case) and carries a weak ETag;
 * fields and annotations the product does not read pass through untouched.
 */
export function financeRecord<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ '@odata.etag': z.string().optional(), dataAreaId: z.string(), ...shape }).loose();
}
