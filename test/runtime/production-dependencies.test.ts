import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** What production starts: package.json's `bin`, and every `dist/` script the Dockerfile and compose files run. */
function entryPoints(): string[] {
  const deployment = readdirSync(ROOT).filter(
    (file) => file === 'Dockerfile' || /^docker-compose.*\.ya?ml$/.test(file),
  );
  const commands = deployment.map((file) => readFileSync(join(ROOT, file), 'utf8')).join('\n');
  const scripts = [...commands.matchAll(/["'](dist\/[\w./-]+\.js)["']/g)].map((match) => match[1]!);
  return [...new Set([...Object.values(pkg.bin), ...scripts])];
}

/** `dist/x.js` is compiled from `x.ts`; any other file is its own source. */
function sourceOf(file: string): string {
  const match = /^dist\/(.+)\.js$/.exec(file);
  return join(ROOT, match ? `${match[1]}.ts` : file);
}

/** What the file loads once compiled: imports used only as types are erased, as in `dist/`. */
function loadedSpecifiers(file: string): string[] {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, removeComments: true },
  });
  return [...outputText.matchAll(/\b(?:require(?:\.resolve)?|import)\(\s*["']([^"']+)["']\s*\)/g)].map(
    (match) => match[1]!,
  );
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts'), join(base, 'index.js')].find(
    (candidate) => existsSync(candidate) && /\.(ts|js|json)$/.test(candidate),
  );
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every package import reachable from the entry points that production would not have installed. */
function missingInProduction(entries: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = entries.map(sourceOf);
  for (let file = queue.shift(); file; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(file)) {
      problems.push(`${relative(ROOT, file)} does not exist`);
      continue;
    }
    if (file.endsWith('.json')) continue;
    for (const specifier of loadedSpecifiers(file)) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        if (target) queue.push(target);
        else problems.push(`${relative(ROOT, file)}: ${specifier} resolves to no file`);
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        const name = packageName(specifier);
        if (!(name in pkg.dependencies)) {
          const what = name in pkg.devDependencies ? 'a devDependency' : 'not in package.json';
          problems.push(`${relative(ROOT, file)} loads ${specifier}: ${name} is ${what}`);
        }
      }
    }
  }
  return problems;
}

test('the fsfo bin is built JavaScript', () => {
  expect(pkg.bin.fsfo).toMatch(/^dist\/.+\.js$/);
});

test('what production runs loads production dependencies only', () => {
  const entries = entryPoints();
  expect(entries).toEqual(
    expect.arrayContaining([
      'dist/client/cli.js',
      'dist/worker/main.js',
      'dist/client/webhook/main.js',
      'dist/sandboxes/main.js',
    ]),
  );
  expect(missingInProduction(entries)).toEqual([]);
});
