// Lints texts with the repository's ESLint configuration, only its layering rule, each as if it were the file at
// the given path. Reads [{ filePath, code }] as JSON on stdin and writes the messages of each as JSON on stdout.
// A process of its own: ESLint loads its configuration with a dynamic import, which Jest's module system refuses.
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';

const texts = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({
  // Without type information: the texts are not files the TypeScript project knows.
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'boundaries/dependencies',
});
const messages = [];
for (const { filePath, code } of texts) {
  const [result] = await eslint.lintText(code, { filePath });
  messages.push(result.messages.map((m) => m.message));
}
process.stdout.write(JSON.stringify(messages));
