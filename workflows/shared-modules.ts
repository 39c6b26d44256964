import { z } from 'zod';

/*
 * Evaluated once per worker and shared by every workflow it runs (`preloadModules`,
 * `worker/workflow-bundle.ts`). A module a workflow imports is otherwise evaluated again for each
 * workflow in the cache: zod alone took about 0.45 MB of the workflow thread's heap per cached workflow.
 *
 * The SDK freezes what it shares once this has run. zod writes its defaults (the English messages, the
 * memoizer) into its global configuration when the first schema is built and fills in members when a
 * schema first parses or reports an error: building, parsing and reporting here does all of that
 * before the freeze. Schemas themselves stay in the workflows' own modules: zod adds members to a
 * schema on first use, which a frozen schema refuses. zod's own regular expressions are frozen too, and
 * a format check resets an expression's `lastIndex`: the formats built on them (`z.iso.date()`,
 * `z.guid()`, `z.email()`, ...) throw in a workflow; ESLint refuses them in the bundle's modules.
 */
const warmUp = z.object({
  text: z.string().min(1).max(10).optional(),
  at: z.iso.datetime({ offset: true }),
  either: z.union([z.literal('x'), z.number().int().nonnegative()]),
  list: z.array(z.string()).default([]),
});
const invalid = warmUp.safeParse({ text: '', at: 'not a date', either: true, list: [1] });
if (!invalid.success) z.prettifyError(invalid.error);
warmUp.parse({ at: '2026-01-01T00:00:00Z', either: 'x' });
