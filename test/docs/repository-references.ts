import { posix } from 'node:path';
import { headingAnchors, markdownLines } from './heading-anchors';

/** The files of a repository: every path (relative, `/`-separated) and the text of those checked. */
export interface RepositoryFiles {
  paths: readonly string[];
  read(path: string): string;
}

export interface BrokenReference {
  file: string;
  line: number;
  reference: string;
  problem: string;
}

/** Files whose comments may name `docs/…`: code, configuration and the Dockerfile. */
const CODE_FILE = /(^|\/)Dockerfile$|\.(ts|mjs|cjs|js|json|ya?ml)$/;
const MARKDOWN_FILE = /\.md$/;

/** `docs/<path>` from the repository root, with an optional `#anchor`, not part of a longer path or URL. */
const DOCS_REFERENCE = /(?<![\w./-])docs\/[\w./-]*\w(?:#[\w-]+)?/g;
/** Inline links and images `[text](target "title")`, and reference definitions `[label]: target`. */
const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/;
/** Places outside the repository: the notes beside it, and absolute paths of the machine it was written on. */
const OUTSIDE = [
  { pattern: /(?:\.\.\/)+shared\//g, problem: 'points outside the repository (../shared)' },
  { pattern: /(?<![\w.-])\/work\//g, problem: 'an absolute path of the machine it was written on' },
];

/**
 * Every reference in the repository's Markdown and code files that does not resolve inside it:
 * relative Markdown links (file, then `#anchor` against the target's headings), `docs/…` references
 * anywhere in Markdown and code files, and references to places outside the repository.
 */
export function brokenReferences(files: RepositoryFiles): BrokenReference[] {
  const index = new RepositoryIndex(files);
  const broken: BrokenReference[] = [];
  for (const file of files.paths) {
    const markdown = MARKDOWN_FILE.test(file);
    if (!markdown && !CODE_FILE.test(file)) continue;
    const text = files.read(file);
    if (markdown) broken.push(...markdownLinkProblems(index, file, text));
    broken.push(...docsReferenceProblems(index, file, text), ...outsideReferences(file, text));
  }
  // A Markdown link to `docs/…` is also a `docs/…` reference: report it once.
  const reported = new Set<string>();
  return broken.filter(({ file, line, reference }) => {
    const key = `${file}:${line}:${reference}`;
    return !reported.has(key) && reported.add(key);
  });
}

function markdownLinkProblems(index: RepositoryIndex, file: string, text: string): BrokenReference[] {
  const broken: BrokenReference[] = [];
  for (const line of markdownLines(text)) {
    const withoutCode = line.text.replace(/`+[^`]*`+/g, '');
    const targets = [...withoutCode.matchAll(INLINE_LINK)].map((match) => match[1]!);
    const definition = LINK_DEFINITION.exec(withoutCode)?.[1];
    if (definition) targets.push(definition);
    for (const target of targets) {
      const problem = index.linkProblem(file, target);
      if (problem) broken.push({ file, line: line.number, reference: target, problem });
    }
  }
  return broken;
}

function docsReferenceProblems(index: RepositoryIndex, file: string, text: string): BrokenReference[] {
  return matchesWithLines(text, DOCS_REFERENCE).flatMap(({ match, line }) => {
    const [path, anchor] = splitAnchor(match);
    const problem = index.targetProblem(path, anchor);
    return problem ? [{ file, line, reference: match, problem }] : [];
  });
}

function outsideReferences(file: string, text: string): BrokenReference[] {
  return OUTSIDE.flatMap(({ pattern, problem }) =>
    matchesWithLines(text, pattern).map(({ match, line }) => ({ file, line, reference: match, problem })),
  );
}

/** Paths, directories and the anchors of Markdown files, each file's anchors computed once. */
class RepositoryIndex {
  readonly #files: RepositoryFiles;
  readonly #paths: Set<string>;
  readonly #directories = new Set<string>();
  readonly #anchors = new Map<string, Set<string>>();

  constructor(files: RepositoryFiles) {
    this.#files = files;
    this.#paths = new Set(files.paths);
    for (const path of files.paths) {
      for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) this.#directories.add(dir);
    }
  }

  /** Why a Markdown link in `from` does not resolve, or undefined when it does (or leaves the repository by URL). */
  linkProblem(from: string, target: string): string | undefined {
    if (/^[a-z][a-z\d+.-]*:|^\/\//i.test(target)) return undefined;
    if (target.startsWith('/')) return 'an absolute path; link relative to this file';
    const [path, anchor] = splitAnchor(target);
    const resolved = path === '' ? from : posix.normalize(posix.join(posix.dirname(from), safeDecode(path)));
    if (resolved === '..' || resolved.startsWith('../')) return 'points outside the repository';
    return this.targetProblem(resolved.replace(/\/$/, ''), anchor);
  }

  /** Why a repository path (and anchor) does not resolve, or undefined when it does. */
  targetProblem(path: string, anchor: string | undefined): string | undefined {
    if (path === '' || path === '.') return undefined;
    if (!this.#paths.has(path)) {
      return this.#directories.has(path) && anchor === undefined
        ? undefined
        : `no file ${path} in the repository`;
    }
    if (anchor === undefined || !MARKDOWN_FILE.test(path)) return undefined;
    return this.#anchorsOf(path).has(safeDecode(anchor)) ? undefined : `no heading #${anchor} in ${path}`;
  }

  #anchorsOf(path: string): Set<string> {
    let anchors = this.#anchors.get(path);
    if (!anchors) this.#anchors.set(path, (anchors = headingAnchors(this.#files.read(path))));
    return anchors;
  }
}

function splitAnchor(reference: string): [string, string | undefined] {
  const hash = reference.indexOf('#');
  return hash < 0 ? [reference, undefined] : [reference.slice(0, hash), reference.slice(hash + 1)];
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function matchesWithLines(text: string, pattern: RegExp): { match: string; line: number }[] {
  return [...text.matchAll(pattern)].map((match) => ({
    match: match[0],
    line: text.slice(0, match.index).split('\n').length,
  }));
}
