import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Connectors } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { withFailureTranslation } from '../business-failure';
import { ReferenceData } from '../reference-data';
import { RelatedRecordReader } from '../related-records';
import {
  type InventoryActivities,
  inventoryDocumentKindSchema,
  inventoryDocumentRefSchema,
} from './contract';
import { tasksWhenUsed } from '../tasks-when-used';
import { inventoryDocumentTasks } from './inventory-tasks';
import { ensureInventoryJournal, isInventoryJournalPosted, writeInventoryJournalLines } from './journal';
import { loadInventoryDocument } from './load-document';
import { recordInventoryJournalNumber } from './record-journal';

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  return parsed.data;
}

/** The inventory document workflow's activities, bound to the Dynamics 365 clients and the mapping project. */
export function createInventoryActivities({ dataverse, finance }: Connectors, project: MappingProject) {
  const tasks = {
    adjustment: tasksWhenUsed(
      project,
      { name: 'inventory adjustment', templates: ['inventory-adjustments-to-finance'] },
      (p) => inventoryDocumentTasks(p, 'adjustment'),
    ),
    transfer: tasksWhenUsed(
      project,
      { name: 'inventory transfer', templates: ['inventory-transfers-to-finance'] },
      (p) => inventoryDocumentTasks(p, 'transfer'),
    ),
  };
  const related = new RelatedRecordReader(dataverse, new ReferenceData(dataverse));

  return {
    loadInventoryDocument: (input) => {
      const ref = parse(inventoryDocumentRefSchema, input);
      return withFailureTranslation(`${ref.kind} ${ref.name}`, () =>
        loadInventoryDocument({ dataverse, related, tasks: tasks[ref.kind]() }, ref),
      );
    },

    ensureInventoryJournal: (snapshot) =>
      withFailureTranslation(`F&O journal of ${snapshot.name}`, () =>
        ensureInventoryJournal(finance, snapshot),
      ),

    writeInventoryJournalLines: ({ snapshot, journalNumber }) =>
      withFailureTranslation(`Lines of F&O journal ${journalNumber}`, () =>
        writeInventoryJournalLines(finance, snapshot, journalNumber),
      ),

    isInventoryJournalPosted: ({ kind, journalNumber }) =>
      withFailureTranslation(`Posting of F&O journal ${journalNumber}`, () =>
        isInventoryJournalPosted(finance, parse(inventoryDocumentKindSchema, kind), journalNumber),
      ),

    recordInventoryJournalNumber: ({ kind, documentId, journalNumber }) =>
      withFailureTranslation(`Recording F&O journal ${journalNumber}`, () =>
        recordInventoryJournalNumber(
          dataverse,
          parse(inventoryDocumentKindSchema, kind),
          documentId,
          journalNumber,
        ),
      ),
  } satisfies InventoryActivities;
}
