import type { Drift } from './drift';
import type { JoinContext, JoinPage } from './join';
import { keyedPages, type KeyedReader } from './keyed-pages';
import { type DocumentWorkflows, existingDocuments } from './running-workflows';

/** Documents per page: a page costs about a dozen requests, whatever is in it. */
const PAGE_SIZE = 100;

/**
 * What reconcile makes of one document: in flight (counted, not judged), left to another pass (a
 * workflow in NeedsAttention, which the workflow pass reports with its reason), or its drifts (none when
 * clean).
 */
export type Outcome =
  { kind: 'in flight' } | { kind: 'reported by its workflow' } | { kind: 'judged'; drifts: Drift[] };

/** Each drift of a class, document and key once: two documents of one number make one drift. */
const oncePerDocument = (drifts: readonly Drift[]): Drift[] => [
  ...new Map(drifts.map((drift) => [`${drift.class}/${drift.document}/${drift.key}`, drift])).values(),
];

/**
 * A join's pass over its Field Service documents: by number, a page at a time after `from`, each page
 * judged whole by `judge` (which reads the page's counterparts with key filters). Where numbers may
 * repeat (`numbersRepeat`), the documents of one number are on one page and their drifts are one.
 */
export async function* documentPages<T>(
  reader: KeyedReader<T>,
  pass: { name: string; from: string; numbersRepeat: boolean },
  judge: (documents: T[]) => Promise<Outcome[]>,
): AsyncGenerator<JoinPage> {
  const pages = keyedPages(reader, PAGE_SIZE, { from: pass.from, keepKeysTogether: pass.numbersRepeat });
  for await (const { rows, after } of pages) {
    let inFlight = 0;
    const drifts: Drift[] = [];
    for (const outcome of await judge(rows)) {
      if (outcome.kind === 'in flight') inFlight++;
      if (outcome.kind === 'judged') drifts.push(...outcome.drifts);
    }
    yield {
      checked: rows.length,
      inFlight,
      drifts: pass.numbersRepeat ? oncePerDocument(drifts) : drifts,
      position: { pass: pass.name, after },
    };
  }
}

/**
 * A join's pass the other way round: the F&O documents this integration wrote, by key a page at a time
 * after `from`; one whose key (the number of the Field Service document it was written for) Field
 * Service no longer has is an orphan, as `orphan` words it.
 */
export async function* orphanPages<T>(
  context: JoinContext,
  reader: KeyedReader<T>,
  pass: { name: string; from: string; of: DocumentWorkflows },
  orphan: (row: T) => Drift,
): AsyncGenerator<JoinPage> {
  for await (const { rows, after } of keyedPages(reader, PAGE_SIZE, { from: pass.from })) {
    const existing = await existingDocuments(
      context,
      pass.of,
      rows.map((row) => reader.keyOf(row)),
    );
    yield {
      checked: rows.length,
      inFlight: 0,
      drifts: rows.filter((row) => !existing.has(reader.keyOf(row).toLowerCase())).map(orphan),
      position: { pass: pass.name, after },
    };
  }
}
