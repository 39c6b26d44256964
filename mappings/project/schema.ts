import { z } from 'zod';

/** A column name as Dataverse and F&O spell them (logical names, OData property names). */
const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a field name (letters, digits, _)');
/** An entity set as it appears in the service URL, e.g. `msdyn_workorders` or `CDSSalesOrderHeaders`. */
const entitySet = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an entity set name');
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Date patterns are built only from these tokens and separators, always read and written in UTC. */
export const DATE_PATTERN = /^(yyyy|MM|dd|HH|mm|ss|[-/:T .Z])+$/;

/**
 * The fixed, safe set of transforms. `truncate: target` means "to the target field's maximum length",
 * which the loader resolves from the destination entity's schema.
 */
export const transformSchema = z.union(
  [
    z.enum(['minutesToHours', 'negate', 'trim']),
    z.strictObject({ truncate: z.union([z.number().int().positive(), z.literal('target')]) }),
    z.strictObject({ round: z.number().int().min(0).max(10) }),
    z.strictObject({
      date: z.string().regex(DATE_PATTERN, 'must be a date pattern of yyyy, MM, dd, HH, mm, ss'),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `unknown transform ${JSON.stringify(issue.input)}; the transforms are minutesToHours, negate, trim, ` +
          '{ truncate: <length> } or { truncate: target }, { round: <decimals> }, { date: <pattern> }'
        : undefined,
  },
);

export const relatedFieldSchema = z.strictObject({
  /** The lookup column on the source record, e.g. `msdyn_serviceaccount`. */
  lookup: fieldName,
  /** The entity set the lookup points at, e.g. `accounts`. */
  entity: entitySet,
  /** The column to read from the related record, e.g. `accountnumber`. */
  field: fieldName,
});

/** Sets a destination lookup column by the natural key of the record it should point at. */
export const bindSchema = z.strictObject({ entity: entitySet, field: fieldName });

const VALUE_SOURCES = ['source', 'related', 'concatenate', 'constant'] as const;

/**
 * One destination field and where its value comes from: exactly one of `source` (copy), `related`
 * (a column of the record a lookup points at), `concatenate` or `constant`; or only a `default`.
 * Then, in this order: `valueMap`, `transforms`, and `default` when the value is still empty.
 */
export const fieldMapSchema = z
  .strictObject({
    target: fieldName,
    source: fieldName.optional(),
    related: relatedFieldSchema.optional(),
    concatenate: z.array(fieldName).min(2).optional(),
    separator: z.string().optional(),
    constant: scalar.optional(),
    default: scalar.optional(),
    valueMap: z
      .record(z.string(), scalar)
      .refine((map) => Object.keys(map).length > 0, 'a value map needs at least one entry')
      .optional(),
    /** What an unmapped source value does: fail the record (the default) or leave the field out. */
    unmapped: z.enum(['error', 'omit']).optional(),
    transforms: z.array(transformSchema).optional(),
    bind: bindSchema.optional(),
    /** Marks rows that Microsoft's docs do not confirm (docs/dynamics-365-templates.md#how-sure-each-fact-is). */
    inferred: z.boolean().optional(),
  })
  .superRefine((map, ctx) => {
    const sources = VALUE_SOURCES.filter((key) => map[key] !== undefined);
    if (sources.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `takes its value from one place, but has ${sources.join(' and ')}`,
      });
    }
    if (sources.length === 0 && map.default === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `needs one of ${VALUE_SOURCES.join(', ')} or default`,
      });
    }
    if (map.separator !== undefined && map.concatenate === undefined) {
      ctx.addIssue({ code: 'custom', path: ['separator'], message: 'only applies to concatenate' });
    }
    if (map.unmapped !== undefined && map.valueMap === undefined) {
      ctx.addIssue({ code: 'custom', path: ['unmapped'], message: 'only applies to a valueMap' });
    }
  });

export const directionSchema = z.enum(['fieldServiceToFinance', 'financeToFieldService']);

export const taskSchema = z.strictObject({
  name: z.string().min(1),
  direction: directionSchema,
  source: entitySet,
  destination: entitySet,
  /** Destination fields the upsert matches on. `dataAreaId` comes from the connection (FNO_COMPANY). */
  key: z.array(fieldName).min(1),
  /** OData `$filter` on the source, verbatim; the engine evaluates the same text in memory. */
  filter: z.string().min(1).optional(),
  /**
   * For line tasks: the header task, the line's lookup to its header, and line columns that mirror
   * header columns (the FS integration solution keeps such copies for its filters).
   */
  parent: z
    .strictObject({
      task: z.string().min(1),
      lookup: fieldName,
      mirroredFields: z.record(fieldName, fieldName).optional(),
    })
    .optional(),
  fieldMaps: z.array(fieldMapSchema),
});

export const customFieldTypeSchema = z.enum(['string', 'number', 'integer', 'boolean', 'date']);

/** What a template or a user's project file contains. */
export const projectFileSchema = z.strictObject({
  name: z.string().min(1),
  /** Microsoft's name for the template this file reproduces. */
  title: z.string().min(1).optional(),
  /** Shipped templates (or other project files, by path) this project builds on, in order. */
  extends: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** Tenant columns that the entity schemas do not know, per entity set, with their type. */
  customFields: z.record(entitySet, z.record(fieldName, customFieldTypeSchema)).optional(),
  /** Field maps added to, or replacing (same target), those of an inherited task, by task name. */
  fieldMaps: z.record(z.string().min(1), z.array(fieldMapSchema)).optional(),
  /** Targets whose inherited field maps to drop, by task name; applied before `fieldMaps`. */
  removeFieldMaps: z.record(z.string().min(1), z.array(fieldName).min(1)).optional(),
  /** Whole tasks: new ones, or inherited ones replaced by name. */
  tasks: z.array(taskSchema).optional(),
});

export type Transform = z.infer<typeof transformSchema>;
export type RelatedField = z.infer<typeof relatedFieldSchema>;
export type FieldMap = z.infer<typeof fieldMapSchema>;
export type Direction = z.infer<typeof directionSchema>;
export type Task = z.infer<typeof taskSchema>;
export type CustomFieldType = z.infer<typeof customFieldTypeSchema>;
export type ProjectFile = z.infer<typeof projectFileSchema>;
