import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../../config/config';
import type { OperatorMessage } from '../../connectors/notifications/message';
import { type NotifyOutcome, type OperatorNotice, operatorNoticeSchema } from './contract';
import { deliverOnce, workflowLink } from './deliveries';

const TITLES: Record<OperatorNotice['event'], (subject: string) => string> = {
  'needs-attention': (subject) => `Needs attention: ${subject}`,
  'approval-reminder': (subject) => `Waiting for approval: ${subject}`,
};

/** The notice as every sink shows it, with the link to the workflow in Temporal Web. */
export function noticeMessage(notice: OperatorNotice, link: string): OperatorMessage {
  return {
    title: TITLES[notice.event](notice.subject),
    facts: [
      { label: 'Document', value: notice.subject },
      { label: 'Stage', value: notice.stage },
      { label: 'Reason', value: notice.reason },
      { label: 'Since', value: notice.since },
    ],
    actions: notice.actions,
    link: { label: 'Open in Temporal Web', url: link },
  };
}

/** Tells the configured sinks about the notice, once (see `deliverOnce`); nothing when none is configured. */
export async function notifyOperators(config: Config, input: unknown): Promise<NotifyOutcome> {
  const parsed = operatorNoticeSchema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  const delivered = await deliverOnce(config, noticeMessage(parsed.data, workflowLink(config)));
  return { delivered };
}
