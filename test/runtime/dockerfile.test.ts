import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IMAGE_NODE_VERSION } from '../../scripts/node-release';

// The image's facts that matter, read from the Dockerfile (no Docker engine here). Its CMD, the worker's Node
// flags, is checked with the flags in test/worker/node-flags.test.ts.
const dockerfile = readFileSync(resolve(__dirname, '..', '..', 'Dockerfile'), 'utf8');
const lines = dockerfile.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
const stages = lines.reduce<string[][]>((all, line) => {
  if (line.startsWith('FROM ')) all.push([]);
  all.at(-1)?.push(line);
  return all;
}, []);
const finalStage = stages.at(-1) ?? [];

test('every stage builds on a supported Node LTS with glibc, the major CI runs the product on', () => {
  expect(stages.length).toBeGreaterThanOrEqual(2);
  for (const [from] of stages) {
    const image = /^FROM (\S+)/.exec(from!)![1]!;
    const major = Number(/^node:(\d+)-(bookworm|trixie)(-slim)?$/.exec(image)?.[1]);
    expect({ image, lts: major >= 22 && major % 2 === 0 }).toEqual({ image, lts: true });
    expect(major).toBe(Number(IMAGE_NODE_VERSION.split('.')[0]));
  }
});

test('the build stage installs, builds and drops the development dependencies', () => {
  const build = stages[0]!.join('\n');
  expect(build).toMatch(/^RUN npm ci$/m);
  expect(build).toMatch(/^RUN npm run build && npm prune --omit=dev$/m);
});

test('the final stage holds only the build, the production node_modules and package.json, and runs as node', () => {
  const copied = finalStage.filter((line) => line.startsWith('COPY')).map((line) => line.split(/\s+/).at(-2));
  expect(copied.sort()).toEqual(['/app/dist', '/app/node_modules', '/app/package.json']);
  expect(
    finalStage.filter((line) => line.startsWith('COPY')).every((line) => line.includes('--from=build')),
  ).toBe(true);
  expect(finalStage.filter((line) => line.startsWith('USER')).at(-1)).toBe('USER node');
  expect(finalStage).toContain('ENV FSFO_DATA_DIR=/app/.data');
  expect(finalStage).toContain('RUN mkdir -p /app/.data && chown node:node /app/.data');
});
