import { D365Error, eq } from '../../connectors';
import type { FinanceEntity } from '../../connectors/entities/finance/entity';
import type { FinanceClient } from '../../connectors/finance/finance-client';

export interface ExistingSalesOrder {
  header: Record<string, unknown>;
  /** By `LineCreationSequenceNumber`, with their status and the fields the project maps. */
  lines: Map<number, Record<string, unknown>>;
}

/**
 * The F&O order of this number as it stands, or undefined when there is none: the header's
 * `headerFields` (its origin), then its lines' `lineFields` and status, in a second read.
 */
export async function readExistingSalesOrder(
  finance: FinanceClient,
  entities: { header: FinanceEntity; lines?: FinanceEntity },
  salesOrderNumber: string,
  fields: { header: readonly string[]; lines: readonly string[] },
): Promise<ExistingSalesOrder | undefined> {
  let header: Record<string, unknown>;
  try {
    header = await finance.retrieve(
      entities.header,
      { SalesOrderNumber: salesOrderNumber },
      { select: ['SalesOrderNumber', ...fields.header] },
    );
  } catch (error) {
    if (error instanceof D365Error && error.kind === 'not-found') return undefined;
    throw error;
  }
  const lines = new Map<number, Record<string, unknown>>();
  if (entities.lines) {
    const select = [...new Set(['LineCreationSequenceNumber', 'SalesOrderLineStatus', ...fields.lines])];
    const filter = eq('SalesOrderNumber', salesOrderNumber);
    for await (const line of finance.query(entities.lines, { filter, select })) {
      lines.set(Number(line.LineCreationSequenceNumber), line);
    }
  }
  return { header, lines };
}
