import { z } from 'zod';

/** Column types as the Dataverse Web API serializes them (docs/dynamics-365-wire.md#dataverse-values-and-annotations). */
export const guid = z.guid();
/** A lookup read back as `_<name>_value`: the related row's id, or null when the lookup is empty. */
export const lookup = z.guid().nullable();
/** Money and decimal columns: JSON numbers (money carries four decimals). */
export const decimal = z.number().nullable();
/** Whole-number columns, choices (option-set values) and durations in minutes. */
export const wholeNumber = z.number().int().nullable();
export const text = z.string().nullable();
export const yesNo = z.boolean().nullable();
/** Date and time columns: UTC ISO 8601 strings such as `2023-04-07T21:59:01Z`. */
export const dateTime = z.string().nullable();

/**
 * Every row the Web API returns carries its weak ETag; the row's other properties, and any
 * annotation (`<column>@OData.Community.Display.V1.FormattedValue`, ...), pass through untouched.
 */
export function dataverseRow<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ '@odata.etag': z.string(), ...shape }).loose();
}
