import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
import { prototypeKeyIssues } from './unsafe-keys';
import { validateProject } from './validate';

/** The standard templates and the `standard` project, shipped as data. */
export const TEMPLATES_DIR = path.join(__dirname, '..', 'templates');
const TEMPLATE_EXTENSION = '.yaml';
/**
 * Limits on what a mapping file may cost to read. The largest shipped template is under 8 KB; parsing
 * and validating grow faster than the file, so a larger file is refused before it is parsed.
 */
export const MAX_FILE_BYTES = 256 * 1024;
/** How many alias expansions a YAML file may make (the `yaml` package's default): an alias bomb stops here. */
export const MAX_ALIAS_COUNT = 100;

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

  /** The file's text, if it is a regular file within the size limit. */
  private readText(file: string, name: string): string | undefined {
    const refuse = (message: string) => {
      this.issues.push({ file: name, path: '', message });
      return undefined;
    };
    try {
      const stats = statSync(file);
      if (!stats.isFile()) return refuse('cannot read the file: not a regular file');
      if (stats.size > MAX_FILE_BYTES) {
        return refuse(
          `the file has ${stats.size} bytes; a mapping file may have at most ${MAX_FILE_BYTES} bytes`,
        );
      }
      return readFileSync(file, 'utf8');
    } catch (err) {
      return refuse(`cannot read the file: ${(err as Error).message}`);
    }
  }

  private read(file: string, name: string): ProjectFile | undefined {
    const text = this.readText(file, name);
    if (text === undefined) return undefined;
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
    let raw: unknown;
    try {
      raw = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      // The yaml package throws when aliases expand past the limit (or refer to nothing).
      this.issues.push({ file: name, path: '', message: `not valid YAML: ${(err as Error).message}` });
      return undefined;
    }
    const unsafeKeys = prototypeKeyIssues(name, raw);
    if (unsafeKeys.length > 0) {
      this.issues.push(...unsafeKeys);
      return undefined;
    }
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
      typeof node === 'object' && node !== null && Object.hasOwn(node, segment)
        ? (node as Record<PropertyKey, unknown>)[segment]
        : undefined;
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
