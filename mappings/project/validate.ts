import type { z } from 'zod';
import { filterComparisons, FilterSyntaxError, parseFilter } from '../engine/odata-filter';
import type { EntityCatalog, EntityDescription, EntitySystem } from './entity-catalog';
import type { Origin, ProjectIssue } from './errors';
import { childPath } from './errors';
import type { MappingProject, ProjectFieldMap, ProjectTask } from './merge';
import type { Kind } from './value-kinds';
import { keyCandidates, kindsOf, kindsOfValue, transformInput, transformName, unique } from './value-kinds';

/** A Dataverse lookup column `x` is read as `_x_value`; custom fields may declare it plainly. */
function lookupField(entity: EntityDescription, lookup: string): z.ZodType | undefined {
  return fieldSchema(entity, `_${lookup}_value`) ?? fieldSchema(entity, lookup);
}

/** Only the entity's own fields: a name from the file such as `constructor` must not find Object's. */
function fieldSchema(entity: EntityDescription, field: string): z.ZodType | undefined {
  return Object.hasOwn(entity.fields, field) ? entity.fields[field] : undefined;
}

function firstIssue(result: z.ZodSafeParseResult<unknown>): string {
  return result.success ? '' : result.error.issues[0].message;
}

const SYSTEM_NAMES: Record<EntitySystem, string> = {
  dataverse: 'a Field Service (Dataverse) table',
  finance: 'a Finance and Operations entity',
};

class TaskValidator {
  private readonly sourceSystem: EntitySystem;
  private readonly destinationSystem: EntitySystem;
  private readonly source?: EntityDescription;
  private readonly destination?: EntityDescription;

  constructor(
    private readonly project: MappingProject,
    private readonly catalog: EntityCatalog,
    private readonly task: ProjectTask,
    private readonly issues: ProjectIssue[],
  ) {
    const [from, to]: EntitySystem[] =
      task.direction === 'fieldServiceToFinance' ? ['dataverse', 'finance'] : ['finance', 'dataverse'];
    this.sourceSystem = from;
    this.destinationSystem = to;
    this.source = this.entity(task.source, childPath(task.origin, 'source'), from);
    this.destination = this.entity(task.destination, childPath(task.origin, 'destination'), to);
  }

  private report(origin: Origin, field: string | undefined, message: string): void {
    this.issues.push({ ...origin, field, message });
  }

  /** Looks an entity up, and checks it lives in the system the task's direction reads or writes there. */
  private entity(name: string, origin: Origin, system: EntitySystem): EntityDescription | undefined {
    const entity = this.catalog.get(name);
    if (!entity) {
      this.report(
        origin,
        undefined,
        `unknown entity ${name}: no connector schema; declare its fields under customFields`,
      );
    } else if (entity.system !== undefined && entity.system !== system) {
      this.report(
        origin,
        undefined,
        `${name} is ${SYSTEM_NAMES[entity.system]}, but direction ${this.task.direction} needs ${SYSTEM_NAMES[system]} here`,
      );
    }
    return entity;
  }

  private field(entityName: string, entity: EntityDescription | undefined, field: string, origin: Origin) {
    if (!entity) return undefined;
    const schema = fieldSchema(entity, field);
    if (!schema) this.report(origin, field, `unknown field: ${entityName} has no field ${field}`);
    return schema;
  }

  validate(): void {
    const { task } = this;
    for (const map of task.fieldMaps) this.validateFieldMap(map);
    this.validateKey();
    this.validateRequired();
    this.validateParent();
    this.validateFilter();
  }

  /** The schema of the value a field map reads, before value map and transforms. */
  private readSchema(map: ProjectFieldMap): z.ZodType | undefined {
    const { task, source } = this;
    if (map.source !== undefined) {
      return this.field(task.source, source, map.source, childPath(map.origin, 'source'));
    }
    if (map.concatenate !== undefined) {
      map.concatenate.forEach((name, index) =>
        this.field(task.source, source, name, childPath(map.origin, 'concatenate', index)),
      );
      return undefined;
    }
    if (map.related === undefined) return undefined;
    const { lookup, entity, field } = map.related;
    const origin = childPath(map.origin, 'related');
    if (source && !lookupField(source, lookup)) {
      this.report(
        childPath(origin, 'lookup'),
        lookup,
        `unknown field: ${task.source} has no lookup ${lookup}`,
      );
    }
    const related = this.entity(entity, childPath(origin, 'entity'), this.sourceSystem);
    return this.field(entity, related, field, childPath(origin, 'field'));
  }

  /** The schema the mapped value must satisfy: the target field's, or the bound entity's key field's. */
  private writeSchema(map: ProjectFieldMap): z.ZodType | undefined {
    const { task, destination } = this;
    const origin = childPath(map.origin, 'target');
    if (map.bind === undefined) return this.field(task.destination, destination, map.target, origin);
    if (destination && !lookupField(destination, map.target)) {
      this.report(origin, map.target, `unknown field: ${task.destination} has no lookup ${map.target}`);
    }
    const bound = this.entity(
      map.bind.entity,
      childPath(map.origin, 'bind', 'entity'),
      this.destinationSystem,
    );
    return this.field(map.bind.entity, bound, map.bind.field, childPath(map.origin, 'bind', 'field'));
  }

  private checkValue(value: unknown, schema: z.ZodType, origin: Origin, target: string, what: string) {
    const result = schema.safeParse(value);
    if (!result.success) {
      this.report(
        origin,
        target,
        `${what} ${JSON.stringify(value)} does not fit ${target}: ${firstIssue(result)}`,
      );
    }
  }

  private validateFieldMap(map: ProjectFieldMap): void {
    const readSchema = this.readSchema(map);
    const writeSchema = this.writeSchema(map);
    let kinds: Kind[] | undefined = readSchema ? kindsOf(readSchema) : undefined;
    if (map.concatenate !== undefined) kinds = ['string'];
    if (map.constant !== undefined) kinds = kindsOfValue(map.constant);

    if (map.valueMap !== undefined) {
      const origin = childPath(map.origin, 'valueMap');
      for (const [key, value] of Object.entries(map.valueMap)) {
        if (readSchema && !keyCandidates(key).some((candidate) => readSchema.safeParse(candidate).success)) {
          this.report(
            childPath(origin, key),
            map.target,
            `bad value map: ${key} is not a possible source value`,
          );
        }
        if (writeSchema)
          this.checkValue(value, writeSchema, childPath(origin, key), map.target, 'bad value map: value');
      }
      kinds = unique(Object.values(map.valueMap).flatMap(kindsOfValue));
    }

    (map.transforms ?? []).forEach((transform, index) => {
      const input = transformInput(transform);
      if (kinds && !kinds.includes(input)) {
        this.report(
          childPath(map.origin, 'transforms', index),
          map.target,
          `wrong type: ${transformName(transform)} needs a ${input}, but the value is a ${kinds.join(' or ')}`,
        );
      }
      kinds = transformName(transform) === 'date' ? ['string'] : [input];
      if (typeof transform === 'object' && 'truncate' in transform && transform.truncate === 'target') {
        this.resolveTargetLength(map, index, writeSchema);
      }
    });

    if (
      writeSchema &&
      kinds &&
      kinds.length > 0 &&
      !kinds.some((kind) => kindsOf(writeSchema).includes(kind))
    ) {
      this.report(
        childPath(map.origin, 'target'),
        map.target,
        `wrong type: the value is a ${kinds.join(' or ')}, but ${map.target} takes a ${kindsOf(writeSchema).join(' or ') || 'value of another type'}`,
      );
    }
    if (map.default !== undefined && writeSchema) {
      this.checkValue(
        map.default,
        writeSchema,
        childPath(map.origin, 'default'),
        map.target,
        'wrong type: default',
      );
    }
  }

  private resolveTargetLength(map: ProjectFieldMap, index: number, writeSchema: z.ZodType | undefined): void {
    const maxLength = writeSchema ? maxLengthOf(writeSchema) : undefined;
    if (maxLength === undefined) {
      if (writeSchema) {
        this.report(
          childPath(map.origin, 'transforms', index),
          map.target,
          `truncate: target needs a maximum length on ${this.task.destination}.${map.target}, whose schema has none; give a number`,
        );
      }
      return;
    }
    map.transforms = map.transforms?.map((transform, i) =>
      i === index ? { truncate: maxLength } : transform,
    );
  }

  private validateKey(): void {
    const { task } = this;
    task.key.forEach((field, index) => {
      if (field === 'dataAreaId') return;
      if (!task.fieldMaps.some((map) => map.target === field)) {
        this.report(
          childPath(task.origin, 'key', index),
          field,
          `missing required map: key field ${field} is not mapped`,
        );
      }
    });
  }

  private validateRequired(): void {
    const { task, destination } = this;
    if (!destination) return;
    const targets = new Set(task.fieldMaps.map((map) => map.target));
    for (const field of destination.required) {
      const lookup = /^_(.+)_value$/.exec(field)?.[1];
      if (targets.has(field) || (lookup !== undefined && targets.has(lookup)) || task.key.includes(field))
        continue;
      this.report(
        childPath(task.origin, 'fieldMaps'),
        lookup ?? field,
        `missing required map: ${task.destination} requires ${lookup ?? field} and no field map sets it`,
      );
    }
  }

  private validateParent(): void {
    const { task, source } = this;
    if (!task.parent) return;
    const origin = childPath(task.origin, 'parent');
    const header = this.project.tasks.find((candidate) => candidate.name === task.parent?.task);
    if (!header) {
      this.report(childPath(origin, 'task'), undefined, `no task named "${task.parent.task}"`);
      return;
    }
    if (source && !lookupField(source, task.parent.lookup)) {
      this.report(
        childPath(origin, 'lookup'),
        task.parent.lookup,
        `unknown field: ${task.source} has no lookup ${task.parent.lookup}`,
      );
    }
    const headerEntity = this.catalog.get(header.source);
    for (const [lineField, headerField] of Object.entries(task.parent.mirroredFields ?? {})) {
      const fieldOrigin = childPath(origin, 'mirroredFields', lineField);
      this.field(task.source, source, lineField, fieldOrigin);
      this.field(header.source, headerEntity, headerField, fieldOrigin);
    }
  }

  private validateFilter(): void {
    const { task, source } = this;
    if (task.filter === undefined) return;
    const origin = childPath(task.origin, 'filter');
    let comparisons;
    try {
      comparisons = filterComparisons(parseFilter(task.filter));
    } catch (err) {
      if (!(err instanceof FilterSyntaxError)) throw err;
      this.report(origin, undefined, err.message);
      return;
    }
    const schemas = new Map(
      [...new Set(comparisons.map((comparison) => comparison.field))].map((field) => [
        field,
        this.field(task.source, source, field, origin),
      ]),
    );
    for (const { field, value } of comparisons) {
      const schema = schemas.get(field);
      if (schema && value !== null && !schema.safeParse(value).success) {
        this.report(origin, field, `wrong type: ${field} is compared with ${JSON.stringify(value)}`);
      }
    }
  }
}

/** The maximum length a string schema allows, looking through optional and nullable wrappers. */
function maxLengthOf(schema: z.ZodType): number | undefined {
  const inner = schema as z.ZodType & { unwrap?: () => z.ZodType; maxLength?: number | null };
  if (typeof inner.maxLength === 'number') return inner.maxLength;
  return inner.unwrap ? maxLengthOf(inner.unwrap()) : undefined;
}

/**
 * Checks a merged project against the entity schemas: entity and field names, value types, value
 * maps, keys and required fields, parents and filters. Resolves `truncate: target` in place.
 * Returns every problem found.
 */
export function validateProject(project: MappingProject, catalog: EntityCatalog): ProjectIssue[] {
  const issues: ProjectIssue[] = [];
  for (const task of project.tasks) new TaskValidator(project, catalog, task, issues).validate();
  return issues;
}
