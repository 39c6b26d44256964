import { z } from 'zod';

/**
 * The copies a control request makes of one document at once (benchmarks seed thousands of documents
 * this way instead of one write per row): per copy, the texts to replace in every string value of the
 * copied rows, e.g. the document's number and its invoice number.
 */
export const copyListSchema = z
  .array(z.object({ replace: z.record(z.string().min(1), z.string()) }).strict())
  .min(1)
  .max(10_000);
export type CopyList = z.infer<typeof copyListSchema>;

/** `value` with every occurrence of each key of `replace` replaced by its value, when it is a string. */
export function replaced(value: unknown, replace: Readonly<Record<string, string>>): unknown {
  if (typeof value !== 'string') return value;
  let text = value;
  for (const [from, to] of Object.entries(replace)) text = text.replaceAll(from, to);
  return text;
}

/** Key values as one comparable text, strings without case (as both services compare keys). */
export const keyText = (row: Record<string, unknown>, key: readonly string[]): string =>
  JSON.stringify(
    key.map((column) => (typeof row[column] === 'string' ? String(row[column]).toLowerCase() : row[column])),
  );
