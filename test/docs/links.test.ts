import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { headingAnchors, slug } from './heading-anchors';
import { brokenReferences, type RepositoryFiles } from './repository-references';

const ROOT = join(__dirname, '..', '..');

function trackedFiles(): RepositoryFiles {
  const paths = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((path) => path !== '' && !path.startsWith('node_modules/'));
  return { paths, read: (path) => readFileSync(join(ROOT, path), 'utf8') };
}

function inMemory(files: Record<string, string>): RepositoryFiles {
  return { paths: Object.keys(files), read: (path) => files[path]! };
}

test('every link in Markdown and every docs/ reference resolves inside the repository', () => {
  expect(brokenReferences(trackedFiles())).toEqual([]);
});

describe('the reference checker', () => {
  const guide = ['# Guide', '', '## Tokens and scopes', '', '```md', '## Not a heading', '```', ''].join(
    '\n',
  );

  test('reports a Markdown link to a missing file and an anchor no heading has', () => {
    const readme = [
      '# Readme',
      'See [the guide](manual/guide.md#tokens-and-scopes), [the start](#readme) and [Microsoft](https://learn.microsoft.com/x).',
      'Broken: [gone](manual/gone.md), [no such part](manual/guide.md#token-scopes), [fenced](manual/guide.md#not-a-heading).',
      '`[in code](gone.md)` is not a link.',
    ].join('\n');
    expect(brokenReferences(inMemory({ 'README.md': readme, 'manual/guide.md': guide }))).toEqual([
      {
        file: 'README.md',
        line: 3,
        reference: 'manual/gone.md',
        problem: 'no file manual/gone.md in the repository',
      },
      {
        file: 'README.md',
        line: 3,
        reference: 'manual/guide.md#token-scopes',
        problem: 'no heading #token-scopes in manual/guide.md',
      },
      {
        file: 'README.md',
        line: 3,
        reference: 'manual/guide.md#not-a-heading',
        problem: 'no heading #not-a-heading in manual/guide.md',
      },
    ]);
  });

  test('resolves links relative to the file and refuses those that leave the repository', () => {
    const files = inMemory({
      'manual/guide.md': guide,
      'mappings/README.md':
        '[guide](../manual/guide.md#tokens-and-scopes) [up](../../notes.md) [abs](/manual/guide.md)',
    });
    expect(brokenReferences(files).map(({ reference, problem }) => [reference, problem])).toEqual([
      ['../../notes.md', 'points outside the repository'],
      ['/manual/guide.md', 'an absolute path; link relative to this file'],
    ]);
  });

  test('checks docs/ references in code comments, anchors included', () => {
    // Assembled, like the examples below, so that this file holds no reference of its own that fails.
    const docs = 'docs';
    const code = [
      `/** Paging (${docs}/guide.md#tokens-and-scopes). */`,
      `// ${docs}/guide.md#paging and ${docs}/missing.md`,
      `const url = 'https://example.com/${docs}/anything.md';`,
    ].join('\n');
    const files = inMemory({
      [`${docs}/guide.md`]: guide,
      'connectors/client.ts': code,
      'templates/a.yaml': `# ${docs}/x.md`,
    });
    expect(brokenReferences(files).map(({ file, line, reference }) => [file, line, reference])).toEqual([
      ['connectors/client.ts', 2, `${docs}/guide.md#paging`],
      ['connectors/client.ts', 2, `${docs}/missing.md`],
      ['templates/a.yaml', 1, `${docs}/x.md`],
    ]);
  });

  test('reports references to the notes beside the repository and absolute paths of a machine', () => {
    const shared = ['..', 'shared', 'docs', 'notes.md'].join('/');
    const absolute = ['', 'work', 'shared', 'notes.md'].join('/');
    const files = inMemory({ 'README.md': `From \`${shared}\`.`, Dockerfile: `# see ${absolute}` });
    expect(brokenReferences(files).map(({ file, problem }) => [file, problem])).toEqual([
      ['README.md', 'points outside the repository (../shared)'],
      ['Dockerfile', 'an absolute path of the machine it was written on'],
    ]);
  });
});

describe('heading anchors', () => {
  test.each([
    ['Posted F&O invoices: every one, whatever its date', 'posted-fo-invoices-every-one-whatever-its-date'],
    ['Dataverse Web API (`/api/data/v9.2/`)', 'dataverse-web-api-apidatav92'],
    ['`GET/PUT /_sandbox/faults` (all three ports)', 'getput-_sandboxfaults-all-three-ports'],
    ['Throttling: 429 and **Retry-After**', 'throttling-429-and-retry-after'],
    ['Latest run: N = 100 × K = 10 (2026-11-26)', 'latest-run-n--100--k--10-2026-11-26'],
  ])('%s → #%s', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });

  test('a repeated heading gets a numbered anchor', () => {
    expect([...headingAnchors('# Errors\n## Errors\n### Errors #\n')]).toEqual([
      'errors',
      'errors-1',
      'errors-2',
    ]);
  });
});
