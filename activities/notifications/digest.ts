import { getClient } from '@temporalio/activity';
import type { Config } from '../../config/config';
import type { OperatorMessage } from '../../connectors/notifications/message';
import { IntegrationStage } from '../../workflows/search-attributes';
import type { WaitingDocument } from './contract';

const WAITING_STAGES = ['NeedsAttention', 'AwaitingApproval'];

/** The running workflows of this deployment's task queue that wait for a person, from Temporal visibility. */
export async function waitingDocuments(config: Config): Promise<WaitingDocument[]> {
  const stages = WAITING_STAGES.map((stage) => `'${stage}'`).join(', ');
  const query =
    `TaskQueue = '${config.temporal.taskQueue}' AND ExecutionStatus = 'Running' ` +
    `AND ${IntegrationStage.name} IN (${stages})`;
  const waiting: WaitingDocument[] = [];
  for await (const execution of getClient().workflow.list({ query })) {
    waiting.push({
      workflowId: execution.workflowId,
      subject: execution.workflowId,
      stage: execution.typedSearchAttributes.get(IntegrationStage) ?? '?',
      since: execution.startTime.toISOString(),
    });
  }
  return waiting.sort((a, b) => a.stage.localeCompare(b.stage) || a.workflowId.localeCompare(b.workflowId));
}

/** The digest: how many wait in each stage, one line per document with its Temporal Web link. */
export function digestMessage(config: Config, waiting: WaitingDocument[]): OperatorMessage {
  const namespace = config.temporal.namespace;
  const count = (stage: string) => String(waiting.filter((document) => document.stage === stage).length);
  const listUrl = (query: string) =>
    `${config.notifications.temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
  const stages = WAITING_STAGES.map((stage) => `'${stage}'`).join(', ');
  return {
    title: `fsfo daily digest: ${waiting.length} waiting for a person`,
    facts: WAITING_STAGES.map((stage) => ({ label: stage, value: count(stage) })),
    lines: waiting.map(
      (document) =>
        `${document.stage}: ${document.subject} (started ${document.since}) ` +
        `${config.notifications.temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(document.workflowId)}`,
    ),
    actions: ['fsfo work-order list --stage NeedsAttention', 'fsfo work-order list --stage AwaitingApproval'],
    link: {
      label: 'Open the list in Temporal Web',
      url: listUrl(`ExecutionStatus = 'Running' AND ${IntegrationStage.name} IN (${stages})`),
    },
  };
}
