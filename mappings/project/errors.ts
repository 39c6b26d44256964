/** Where a problem is: the file, and the path inside it, e.g. `tasks[0].fieldMaps[2].source`. */
export interface Origin {
  file: string;
  path: string;
}

export interface ProjectIssue extends Origin {
  /** The line in the file the path leads to, when the loader could find it. */
  line?: number;
  /** The field the problem is about, when there is one. */
  field?: string;
  message: string;
}

export function formatIssue(issue: ProjectIssue): string {
  const field = issue.field === undefined ? '' : ` [field ${issue.field}]`;
  const line = issue.line === undefined ? '' : `:${issue.line}`;
  return `${issue.file}${line}: ${issue.path || '(top level)'}${field}: ${issue.message}`;
}

/** A mapping project that cannot be used; lists every problem found, each with file, path and field. */
export class MappingProjectError extends Error {
  constructor(readonly issues: ProjectIssue[]) {
    super(`Invalid mapping project:\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`);
    this.name = 'MappingProjectError';
  }
}

function formatSegment(segment: PropertyKey, first: boolean): string {
  if (typeof segment === 'number') return `[${segment}]`;
  const name = String(segment);
  if (!/^[A-Za-z_]\w*$/.test(name)) return `[${JSON.stringify(name)}]`;
  return first ? name : `.${name}`;
}

/** `['tasks', 0, 'fieldMaps', 'A b']` → `tasks[0].fieldMaps["A b"]`. */
export function formatPath(segments: readonly PropertyKey[], prefix = ''): string {
  return segments.reduce<string>((path, segment) => path + formatSegment(segment, path === ''), prefix);
}

export const childPath = (origin: Origin, ...segments: PropertyKey[]): Origin => ({
  file: origin.file,
  path: formatPath(segments, origin.path),
});
