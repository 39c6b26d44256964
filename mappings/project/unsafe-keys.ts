import { formatPath } from './errors';
import type { ProjectIssue } from './errors';

/**
 * `__proto__` is the one key a JavaScript object cannot hold as data: zod's records drop it, and an
 * assignment with it replaces the object's prototype. No Dataverse or F&O name is `__proto__`, so a
 * file that uses it as a key anywhere is refused, naming where.
 */
export function prototypeKeyIssues(file: string, raw: unknown): ProjectIssue[] {
  const issues: ProjectIssue[] = [];
  const visit = (node: unknown, segments: PropertyKey[]) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...segments, index]));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '__proto__') {
          issues.push({
            file,
            path: formatPath([...segments, key]),
            field: key,
            message: '__proto__ is not allowed as a name',
          });
        } else visit(value, [...segments, key]);
      }
    }
  };
  visit(raw, []);
  return issues;
}
