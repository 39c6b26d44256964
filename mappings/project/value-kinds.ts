import type { z } from 'zod';
import type { Transform } from './schema';

/**
 * The JSON kinds of value a field holds, a transform takes, or a value map produces: enough to catch
 * a mapping that copies text into a number field, without comparing zod schemas in general.
 */
export type Kind = 'number' | 'string' | 'boolean';
const SAMPLES: Record<Kind, unknown> = { number: 1, string: 'x', boolean: true };

interface SchemaDefinition {
  type: string;
  innerType?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
  options?: z.ZodType[];
}

/** Which kinds of JSON value a field schema accepts: enums and literals by their values, else by samples. */
export function kindsOf(schema: z.ZodType): Kind[] {
  const definition = schema._zod.def as SchemaDefinition;
  if (definition.innerType) return kindsOf(definition.innerType);
  if (definition.entries) return unique(Object.values(definition.entries).flatMap(kindsOfValue));
  if (definition.values) return unique(definition.values.flatMap(kindsOfValue));
  if (definition.options) return unique(definition.options.flatMap(kindsOf));
  if (definition.type === 'string') return ['string'];
  return (Object.keys(SAMPLES) as Kind[]).filter((kind) => schema.safeParse(SAMPLES[kind]).success);
}

export const unique = <T>(items: T[]): T[] => [...new Set(items)];

export function kindsOfValue(value: unknown): Kind[] {
  return (Object.keys(SAMPLES) as Kind[]).filter((kind) => typeof value === kind);
}

const NUMBER_TRANSFORMS = new Set(['minutesToHours', 'negate', 'round']);
export const transformName = (transform: Transform) =>
  typeof transform === 'string' ? transform : Object.keys(transform)[0];
export const transformInput = (transform: Transform): Kind =>
  NUMBER_TRANSFORMS.has(transformName(transform)) ? 'number' : 'string';

/** A value map's keys are text; the source value they stand for may be a number or a boolean. */
export function keyCandidates(key: string): unknown[] {
  const candidates: unknown[] = [key];
  if (key.trim() !== '' && Number.isFinite(Number(key))) candidates.push(Number(key));
  if (key === 'true' || key === 'false') candidates.push(key === 'true');
  return candidates;
}
