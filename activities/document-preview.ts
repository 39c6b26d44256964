import { ApplicationFailure } from '@temporalio/common';
import type { DestinationPayload } from '../mappings/engine';
import { RecordMappingError } from '../mappings/engine';
import { valuesWithoutKey } from './finance-entities';
import type { PlannedWrite } from './planned-write';
import { lineDifferences, type ValueDifference, valueDifferences } from './reconcile/value-differences';

/*
 * What the previews of the flows share (`fsfo work-order preview`, `fsfo agreement-invoice preview`): the
 * writes a sync would send, the differences against F&O's document, and the refusal a sync would stop with.
 */

/** A write a sync would send: which change set, method, entity set and key; the values it would send. */
export interface RequestPreview {
  changeSet: string;
  method: string;
  entitySet: string;
  key: Record<string, unknown>;
  body?: unknown;
}

export const requestsOf = (changeSet: string, writes: readonly PlannedWrite[]): RequestPreview[] =>
  writes.map(({ operation, entitySet, key }) => ({
    changeSet,
    method: operation.method,
    entitySet,
    key,
    body: operation.body,
  }));

/** The message a sync would stop with, for the failures it parks on; anything else is rethrown. */
export function refusalOf(error: unknown): string {
  if (error instanceof ApplicationFailure || error instanceof RecordMappingError) return error.message;
  throw error;
}

/**
 * Where F&O's document differs from the mapped one, as the reconcile report compares: each mapped header
 * field, then lines by number (added, removed, or a mapped field that differs).
 */
export function documentDifferences(
  mapped: { header: DestinationPayload; lines: ReadonlyMap<number, DestinationPayload> },
  existing: {
    header: Readonly<Record<string, unknown>>;
    lines: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
  },
): ValueDifference[] {
  const header = valuesWithoutKey(mapped.header);
  const lines = new Map([...mapped.lines].map(([number, line]) => [number, valuesWithoutKey(line)]));
  const comparison = { expected: 'fieldService' } as const;
  return [
    ...valueDifferences(header, existing.header, Object.keys(header), comparison),
    ...lineDifferences(lines, existing.lines, (line) => Object.keys(line), comparison),
  ];
}
