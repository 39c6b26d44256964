import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', '.tools/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code must not use Node built-ins.',
          })),
          patterns: [
            {
              group: ['got', '@azure/*', '../connectors/*', '../sandboxes/*'],
              message: 'Workflow code does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // The sandboxes stand in for Microsoft's services and check the product from outside: they share no code with it.
    files: ['sandboxes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/activities/**',
                '**/client/**',
                '**/config/**',
                '**/connectors/**',
                '**/mappings/**',
                '**/worker/**',
                '**/workflows/**',
              ],
              message: 'The sandboxes import nothing from the product.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'activities/**/*.ts',
      'client/**/*.ts',
      'config/**/*.ts',
      'connectors/**/*.ts',
      'mappings/**/*.ts',
      'worker/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/sandboxes/**'], message: 'The product imports nothing from the sandboxes.' },
          ],
        },
      ],
    },
  },
);
