import type { Command } from 'commander';
import { PROJECT_CHECKS } from '../../activities/project-checks';
import { describeSource, describeSteps } from '../../mappings/project/describe';
import { MappingProjectError } from '../../mappings/project/errors';
import { loadMappingProject } from '../../mappings/project/loader';
import type { MappingProject } from '../../mappings/project/merge';
import { connectorCatalog } from '../../connectors/entities/catalog';

/** Exit code for a mapping project that cannot be used, as for a bad configuration. */
const INVALID = 2;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function render(project: MappingProject): string {
  const title = project.title ? `${project.name} (${project.title})` : project.name;
  const sections = [`Mapping project ${title}\nFiles: ${project.files.join(', ')}`];
  const customFields = Object.entries(project.customFields).flatMap(([entity, fields]) =>
    Object.entries(fields).map(([name, field]) => [`${entity}.${name}`, field.type, field.origin.file]),
  );
  if (customFields.length > 0) {
    sections.push(`Custom fields\n${table(['Field', 'Type', 'Declared in'], customFields)}`);
  }
  for (const task of project.tasks) {
    const lines = [
      `Task ${task.name}: ${task.source} → ${task.destination} (${task.direction}), key ${task.key.join(', ')}`,
    ];
    if (task.filter !== undefined) lines.push(`Filter: ${task.filter}`);
    if (task.parent !== undefined) lines.push(`Lines of: ${task.parent.task} (via ${task.parent.lookup})`);
    const rows = task.fieldMaps.map((map) => [
      map.target,
      describeSource(map),
      describeSteps(map),
      map.inferred ? 'INF' : '',
      `${map.origin.file}:${map.origin.path}`,
    ]);
    lines.push(table(['Target', 'From', 'Then', 'Basis', 'Defined at'], rows));
    sections.push(lines.join('\n'));
  }
  return sections.join('\n\n');
}

/** Loads a project for a command; an invalid one is reported on stderr and sets the exit code. */
export function loadProjectOrReport(nameOrPath: string): MappingProject | undefined {
  try {
    return loadMappingProject(nameOrPath, connectorCatalog(), PROJECT_CHECKS);
  } catch (err) {
    if (!(err instanceof MappingProjectError)) throw err;
    console.error(err.message);
    process.exitCode = INVALID;
    return undefined;
  }
}

export function registerMappingCommands(program: Command): void {
  const mapping = program
    .command('mapping')
    .description('check and inspect mapping projects (shipped templates or your own JSON/YAML files)');
  mapping
    .command('validate <file>')
    .description('validate a mapping project file against the entity schemas; exit code 2 when invalid')
    .action((file: string) => {
      const project = loadProjectOrReport(file);
      if (!project) return;
      const fieldMaps = project.tasks.reduce((count, task) => count + task.fieldMaps.length, 0);
      console.log(
        `${file}: valid mapping project "${project.name}", ${project.tasks.length} tasks, ${fieldMaps} field maps`,
      );
    });
  mapping
    .command('show <template-or-file>')
    .description('print the effective mapping (templates and customizations merged) as a table')
    .action((nameOrPath: string) => {
      const project = loadProjectOrReport(nameOrPath);
      if (project) console.log(render(project));
    });
}
