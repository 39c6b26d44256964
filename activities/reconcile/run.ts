import { z } from 'zod';
import type { JoinContext, JoinPage, ReconcileJoin, ReconcileScope } from './join';

/** Where a reconciliation resumes: the join it was in and that join's position after its last page. */
export const cursorSchema = z.object({ join: z.string(), position: z.unknown() });
export type Cursor = z.infer<typeof cursorSchema>;

export interface ReconcileStep {
  join: ReconcileJoin;
  page: JoinPage;
  /** Resume here to carry on after this page. */
  cursor: Cursor;
}

/**
 * Every page of every join, in registration order; after `from`, when given, in the join it names
 * (a join no longer registered starts the reconciliation over).
 */
export async function* reconcilePages(
  joins: readonly ReconcileJoin[],
  context: JoinContext,
  scope: ReconcileScope,
  from?: Cursor,
): AsyncGenerator<ReconcileStep> {
  const resumeAt = from && joins.findIndex((join) => join.name === from.join);
  const first = resumeAt === undefined || resumeAt < 0 ? 0 : resumeAt;
  for (const [index, join] of joins.entries()) {
    if (index < first) continue;
    const position = index === first && first === resumeAt ? from?.position : undefined;
    for await (const page of join.pages(context, scope, position)) {
      yield { join, page, cursor: { join: join.name, position: page.position } };
    }
  }
}

/** How many documents the joins will compare, for a progress bar. */
export async function countDocuments(
  joins: readonly ReconcileJoin[],
  context: JoinContext,
  scope: ReconcileScope,
): Promise<number> {
  let total = 0;
  for (const join of joins) total += await join.count(context, scope);
  return total;
}
