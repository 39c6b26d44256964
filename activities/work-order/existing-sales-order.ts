import { eq } from '../../connectors';
import type { FinanceEntity } from '../../connectors/entities/finance/entity';
import type { FinanceQuery } from '../../connectors/finance/finance-client';

export interface ExistingSalesOrder {
  header: Record<string, unknown>;
  /** By `LineCreationSequenceNumber`, with their status and the fields the project maps. */
  lines: Map<number, Record<string, unknown>>;
}

/**
 * The reads of the F&O order of this number as it stands: the header's `headerFields` (its origin),
 * and its lines' `lineFields` and status. Queries by number, not retrieves by key, so a missing order
 * is an empty answer that can travel in a `$batch` with other reads.
 */
export function existingSalesOrderQueries(
  entities: { header: FinanceEntity; lines?: FinanceEntity },
  salesOrderNumber: string,
  fields: { header: readonly string[]; lines: readonly string[] },
): FinanceQuery[] {
  const filter = eq('SalesOrderNumber', salesOrderNumber);
  const header: FinanceQuery = {
    entity: entities.header,
    options: { filter, select: ['SalesOrderNumber', ...fields.header] },
  };
  if (!entities.lines) return [header];
  const select = [...new Set(['LineCreationSequenceNumber', 'SalesOrderLineStatus', ...fields.lines])];
  return [header, { entity: entities.lines, options: { filter, select } }];
}

/** The order the queries found, or undefined when F&O has none of that number. */
export function existingSalesOrderFrom(
  found: readonly (readonly Record<string, unknown>[])[],
): ExistingSalesOrder | undefined {
  const [headers = [], lineRows = []] = found;
  const [header] = headers;
  if (header === undefined) return undefined;
  const lines = new Map<number, Record<string, unknown>>();
  for (const line of lineRows) lines.set(Number(line.LineCreationSequenceNumber), line);
  return { header, lines };
}
