import type { OperatorMessage } from './message';

/**
 * The body Microsoft Teams accepts at an incoming webhook (a Workflows "When a Teams webhook request is
 * received" flow or a legacy connector URL): a message with one Adaptive Card attachment. Version 1.4 is
 * the newest every Teams client renders.
 */
export function teamsPayload(message: OperatorMessage) {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: message.title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'FactSet', facts: message.facts.map(({ label, value }) => ({ title: label, value })) },
  ];
  if (message.lines && message.lines.length > 0) {
    body.push({ type: 'TextBlock', text: message.lines.map((line) => `- ${line}`).join('\n'), wrap: true });
  }
  if (message.actions.length > 0) {
    body.push({ type: 'TextBlock', text: 'What to do', weight: 'Bolder', wrap: true });
    for (const action of message.actions) {
      body.push({ type: 'TextBlock', text: action, fontType: 'Monospace', wrap: true });
    }
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: message.link.label, url: message.link.url }],
        },
      },
    ],
  };
}
