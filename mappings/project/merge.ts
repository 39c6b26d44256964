import type { Origin, ProjectIssue } from './errors';
import { childPath } from './errors';
import type { CustomFieldType, FieldMap, ProjectFile, Task } from './schema';

export type ProjectFieldMap = FieldMap & { origin: Origin };
export type ProjectTask = Omit<Task, 'fieldMaps'> & { origin: Origin; fieldMaps: ProjectFieldMap[] };
export interface CustomField {
  type: CustomFieldType;
  origin: Origin;
}

/** The effective mapping project: templates and customizations merged, each row knowing its file. */
export interface MappingProject {
  name: string;
  title?: string;
  /** Every file that contributed, templates first. */
  files: string[];
  customFields: Record<string, Record<string, CustomField>>;
  tasks: ProjectTask[];
}

function withOrigins(task: Task, origin: Origin, issues: ProjectIssue[]): ProjectTask {
  const seen = new Set<string>();
  const fieldMaps = task.fieldMaps.map((map, index) => {
    const mapOrigin = childPath(origin, 'fieldMaps', index);
    if (seen.has(map.target)) {
      issues.push({ ...mapOrigin, field: map.target, message: 'is mapped twice in this task' });
    }
    seen.add(map.target);
    return { ...map, origin: mapOrigin };
  });
  return { ...task, origin, fieldMaps };
}

/** Replaces the field map with the same target, or appends. */
function upsertFieldMap(task: ProjectTask, map: ProjectFieldMap): ProjectTask {
  const index = task.fieldMaps.findIndex((existing) => existing.target === map.target);
  const fieldMaps =
    index < 0
      ? [...task.fieldMaps, map]
      : task.fieldMaps.map((existing, i) => (i === index ? map : existing));
  return { ...task, fieldMaps };
}

function combineBases(bases: readonly MappingProject[], origin: Origin, issues: ProjectIssue[]) {
  const tasks: ProjectTask[] = [];
  const files: string[] = [];
  const customFields: MappingProject['customFields'] = {};
  for (const base of bases) {
    for (const task of base.tasks) {
      const clash = tasks.find((existing) => existing.name === task.name);
      if (clash) {
        issues.push({
          ...origin,
          message: `task "${task.name}" comes from both ${clash.origin.file} and ${task.origin.file}`,
        });
      } else tasks.push(task);
    }
    for (const file of base.files) if (!files.includes(file)) files.push(file);
    for (const [entity, fields] of Object.entries(base.customFields)) {
      customFields[entity] = { ...customFields[entity], ...fields };
    }
  }
  return { tasks, files, customFields };
}

/**
 * Applies one project file on top of the projects it extends (already merged, in `extends` order):
 * its tasks replace inherited tasks of the same name or are added; `removeFieldMaps` drops inherited
 * rows; its field maps replace inherited maps with the same target or are added to the task.
 */
export function mergeProjectFile(
  bases: readonly MappingProject[],
  file: string,
  content: ProjectFile,
  issues: ProjectIssue[],
): MappingProject {
  const top: Origin = { file, path: '' };
  const { tasks, files, customFields } = combineBases(bases, childPath(top, 'extends'), issues);
  files.push(file);

  for (const [entity, fields] of Object.entries(content.customFields ?? {})) {
    customFields[entity] = { ...customFields[entity] };
    for (const [field, type] of Object.entries(fields)) {
      customFields[entity][field] = { type, origin: childPath(top, 'customFields', entity, field) };
    }
  }

  const ownTaskNames = new Set<string>();
  (content.tasks ?? []).forEach((task, index) => {
    const origin = childPath(top, 'tasks', index);
    if (ownTaskNames.has(task.name)) {
      issues.push({
        ...childPath(origin, 'name'),
        message: `task "${task.name}" is defined twice in this file`,
      });
    }
    ownTaskNames.add(task.name);
    const merged = withOrigins(task, origin, issues);
    const existing = tasks.findIndex((candidate) => candidate.name === task.name);
    if (existing < 0) tasks.push(merged);
    else tasks[existing] = merged;
  });

  const taskIndex = (taskName: string, origin: Origin) => {
    const index = tasks.findIndex((task) => task.name === taskName);
    if (index < 0) {
      issues.push({
        ...origin,
        message: `no task named "${taskName}"; the project has ${tasks.map((task) => `"${task.name}"`).join(', ')}`,
      });
    }
    return index;
  };

  for (const [taskName, targets] of Object.entries(content.removeFieldMaps ?? {})) {
    const origin = childPath(top, 'removeFieldMaps', taskName);
    const index = taskIndex(taskName, origin);
    if (index < 0) continue;
    targets.forEach((target, targetIndex) => {
      if (!tasks[index].fieldMaps.some((map) => map.target === target)) {
        issues.push({
          ...childPath(origin, targetIndex),
          field: target,
          message: `task "${taskName}" does not map ${target}`,
        });
      }
    });
    tasks[index] = {
      ...tasks[index],
      fieldMaps: tasks[index].fieldMaps.filter((map) => !targets.includes(map.target)),
    };
  }

  for (const [taskName, maps] of Object.entries(content.fieldMaps ?? {})) {
    const origin = childPath(top, 'fieldMaps', taskName);
    const index = taskIndex(taskName, origin);
    if (index < 0) continue;
    maps.forEach((map, mapIndex) => {
      tasks[index] = upsertFieldMap(tasks[index], { ...map, origin: childPath(origin, mapIndex) });
    });
  }

  return { name: content.name, title: content.title, files, customFields, tasks };
}
