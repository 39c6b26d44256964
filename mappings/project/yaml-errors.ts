import type { YAMLError } from 'yaml';
import type { ProjectIssue } from './errors';

/** The 1-based line of each top-level entry's first line (a line starting with neither a space nor a comment). */
function topLevelStarts(text: string): number[] {
  return text.split('\n').flatMap((line, index) => (/^[^\s#]/.test(line) ? [index + 1] : []));
}

/**
 * One issue per syntax error: once YAML meets an error inside a block it misreads the rest of that
 * block, so a single tab or bad indent is followed by a dozen errors it caused. Only the first error of
 * each top-level entry (`name`, `extends`, `fieldMaps`, ...) is reported, with its line and column.
 */
export function yamlSyntaxIssues(file: string, text: string, errors: readonly YAMLError[]): ProjectIssue[] {
  const starts = topLevelStarts(text);
  const entryOf = (line: number) => starts.filter((start) => start <= line).length;
  // In the order YAML found them: the cause of a cascade comes first, the errors it causes after.
  const located = errors.map((error) => ({
    error,
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
  }));
  const reported = new Set<number>();
  return located.flatMap(({ error, line, column }) => {
    const entry = entryOf(line);
    if (reported.has(entry)) return [];
    reported.add(entry);
    const [first = ''] = error.message.split('\n');
    const message = first.replace(/ at line \d+, column \d+:?$/, '');
    return [
      { file, path: '', line, message: `not valid YAML: ${message} at line ${line}, column ${column}` },
    ];
  });
}
