import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Document } from 'yaml';
import { LineCounter, parseDocument } from 'yaml';
import { yamlSyntaxIssues } from './yaml-errors';
import type { z } from 'zod';
import { type EntityCatalog, withCustomFields } from './entity-catalog';
import type { ProjectIssue } from './errors';
import { formatPath, MappingProjectError } from './errors';
import { lineOf } from './locate';
import type { MappingProject } from './merge';
import { mergeProjectFile } from './merge';
import type { ProjectFile } from './schema';
import { projectFileSchema } from './schema';
import { validateProject } from './validate';

/** The standard templates and the `standard` project, shipped as data. */
export const TEMPLATES_DIR = path.join(__dirname, '..', 'templates');
const TEMPLATE_EXTENSION = '.yaml';

export function shippedTemplates(): string[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((file) => file.endsWith(TEMPLATE_EXTENSION))
    .map((file) => file.slice(0, -TEMPLATE_EXTENSION.length))
    .sort();
}

const looksLikePath = (reference: string) => /[/\\]|\.(json|ya?ml)$/i.test(reference);
const displayName = (file: string) => path.relative(process.cwd(), file) || file;

class ProjectReader {
  readonly issues: ProjectIssue[] = [];
  readonly #documents = new Map<string, { document: Document; lines: LineCounter }>();

  /** Adds the line its path leads to in the file, so an editor can jump there. */
  locate(issue: ProjectIssue): ProjectIssue {
    const parsed = this.#documents.get(issue.file);
    const line = parsed && issue.path ? lineOf(parsed.document, parsed.lines, issue.path) : undefined;
    return line === undefined ? issue : { ...issue, line };
  }

  /** A template name, or a path relative to the file that refers to it (or to the working directory). */
  resolve(reference: string, referredFrom?: string): string | undefined {
    if (looksLikePath(reference)) {
      return path.resolve(referredFrom ? path.dirname(referredFrom) : process.cwd(), reference);
    }
    const template = path.join(TEMPLATES_DIR, reference + TEMPLATE_EXTENSION);
    return existsSync(template) ? template : undefined;
  }

  load(file: string, chain: readonly string[]): MappingProject | undefined {
    const name = displayName(file);
    if (chain.includes(file)) {
      this.issues.push({
        file: name,
        path: 'extends',
        message: `extends itself: ${[...chain, file].map(displayName).join(' → ')}`,
      });
      return undefined;
    }
    const content = this.read(file, name);
    if (!content) return undefined;
    const references = content.extends === undefined ? [] : [content.extends].flat();
    const bases: MappingProject[] = [];
    references.forEach((reference, index) => {
      const at = typeof content.extends === 'string' ? 'extends' : formatPath(['extends', index]);
      const baseFile = this.resolve(reference, file);
      if (baseFile === undefined) {
        this.issues.push({
          file: name,
          path: at,
          message: `no template named "${reference}"; shipped templates: ${shippedTemplates().join(', ')}`,
        });
        return;
      }
      const base = this.load(baseFile, [...chain, file]);
      if (base) bases.push(base);
    });
    return mergeProjectFile(bases, name, content, this.issues);
  }

  private read(file: string, name: string): ProjectFile | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      this.issues.push({ file: name, path: '', message: `cannot read the file: ${(err as Error).message}` });
      return undefined;
    }
    const lines = new LineCounter();
    const document = parseDocument(text, { prettyErrors: true, lineCounter: lines });
    const jsonError = file.endsWith('.json') ? jsonSyntaxError(text) : undefined;
    if (jsonError) {
      this.issues.push({ file: name, path: '', ...jsonError });
      return undefined;
    }
    if (document.errors.length > 0) {
      this.issues.push(...yamlSyntaxIssues(name, text, document.errors));
      return undefined;
    }
    this.#documents.set(name, { document, lines });
    const raw: unknown = document.toJS();
    const parsed = projectFileSchema.safeParse(raw);
    if (!parsed.success) {
      this.issues.push(...parsed.error.issues.map((issue) => toProjectIssue(name, raw, issue)));
      return undefined;
    }
    return parsed.data;
  }
}

/**
 * YAML reads JSON too, but also accepts what JSON does not (trailing commas, comments, unquoted
 * keys), so a `.json` file must first parse as JSON.
 */
function jsonSyntaxError(text: string): { message: string; line?: number } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    return { message: `not valid JSON: ${message}`, ...(line === undefined ? {} : { line }) };
  }
}

/** Names the field a schema problem is about: the field map's target, else the offending key. */
function toProjectIssue(file: string, raw: unknown, issue: z.core.$ZodIssue): ProjectIssue {
  let node: unknown = raw;
  let field: string | undefined;
  for (const segment of issue.path) {
    node =
      typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[segment] : undefined;
    const target =
      typeof node === 'object' && node !== null ? (node as { target?: unknown }).target : undefined;
    if (typeof target === 'string') field = target;
  }
  const last = issue.path.at(-1);
  if (field === undefined && typeof last === 'string') field = last;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  return {
    file,
    path: formatPath(issue.path),
    field: keys.length > 0 ? keys.join(', ') : field,
    message: node === undefined ? (missingMessage(issue) ?? issue.message) : issue.message,
  };
}

/** zod says "expected string, received undefined"; a person reads "required, but missing". */
function missingMessage(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_type') return `required, but missing (expected a ${issue.expected})`;
  if (issue.code === 'invalid_value') {
    return `required, but missing (expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')})`;
  }
  return undefined;
}

/** A further check of a valid project by the code that runs it (pure: no I/O), e.g. which syncs it has. */
export type ProjectCheck = (project: MappingProject) => ProjectIssue[];

/**
 * Loads a mapping project: a shipped template's name (e.g. `standard`) or the path of a JSON or YAML
 * file, with everything it extends; then validates it against the catalog (the connectors' entity schemas), and
 * runs the checks when it is valid. Throws a MappingProjectError listing every problem, each with file,
 * path in the file and field.
 */
export function loadMappingProject(
  nameOrPath: string,
  catalog: EntityCatalog,
  checks: readonly ProjectCheck[] = [],
): MappingProject {
  const reader = new ProjectReader();
  const file = reader.resolve(nameOrPath);
  if (file === undefined) {
    throw new MappingProjectError([
      {
        file: nameOrPath,
        path: '',
        message: `is neither a file path nor a shipped template (${shippedTemplates().join(', ')})`,
      },
    ]);
  }
  const project = reader.load(file, []);
  if (project === undefined)
    throw new MappingProjectError(reader.issues.map((issue) => reader.locate(issue)));
  const issues = [
    ...reader.issues,
    ...validateProject(project, withCustomFields(catalog, project.customFields)),
  ];
  if (issues.length === 0) issues.push(...checks.flatMap((check) => check(project)));
  if (issues.length > 0) throw new MappingProjectError(issues.map((issue) => reader.locate(issue)));
  return project;
}
