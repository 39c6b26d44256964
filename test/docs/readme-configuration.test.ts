import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../../config/config';

/** The variables in the first column of the table under README's "## Configuration". */
function readmeVariables(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration\n'));
  if (!section) throw new Error('README.md has no "## Configuration" section');
  return [...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((match) => match[1]!);
}

test("README's configuration table lists every variable the product reads, and no other", () => {
  const listed = readmeVariables();
  expect(CONFIG_VARIABLES.filter((variable) => !listed.includes(variable))).toEqual([]);
  expect(listed.filter((variable) => !(CONFIG_VARIABLES as string[]).includes(variable))).toEqual([]);
  expect(new Set(listed).size).toBe(listed.length);
});
