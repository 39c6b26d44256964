import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layering } from './eslint.layering.mjs';

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
    // The modules of the workflow bundle share one zod, which the SDK freezes (workflows/shared-modules.ts):
    // a zod format built on one of zod's own regular expressions throws when it resets that frozen
    // expression's lastIndex. A pattern of the module's own (z.string().regex(...)) is the workflow's.
    files: ['workflows/**/*.ts', 'activities/*/contract.ts', 'config/approval-policy.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[object.name='z'][property.name=/^(guid|uuid|uuidv4|uuidv6|uuidv7|email|cuid|cuid2|ulid|xid|ksuid|nanoid|ipv4|ipv6|cidrv4|cidrv6|base64|base64url|hostname|e164|hex|hash|url|httpUrl|jwt|emoji)$/]",
          message:
            "zod's shared patterns are frozen in workflows: use z.string().regex() with a pattern of this module",
        },
        {
          selector:
            "MemberExpression[object.object.name='z'][object.property.name='iso'][property.name=/^(date|duration)$/]",
          message:
            "zod's shared patterns are frozen in workflows: use z.string().regex() with a pattern of this module",
        },
        {
          selector:
            "CallExpression[callee.property.name=/^(lowercase|uppercase)$/][callee.object.callee.object.name='z']",
          message:
            "zod's shared patterns are frozen in workflows: use z.string().regex() with a pattern of this module",
        },
      ],
    },
  },
  // Which part may import which, and workflow code's packages: eslint.layering.mjs.
  layering,
);
