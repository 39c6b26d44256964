import type { OperatorMessage } from './message';

/** Slack's limits: a header's text, a section's text. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Slack escapes only these three in mrkdwn text. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The body a Slack incoming webhook accepts: `text` (the notification's and a fallback's) and Block Kit
 * `blocks` with the facts, what to do and a button to Temporal Web.
 */
export function slackPayload(message: OperatorMessage) {
  const facts = message.facts.map(({ label, value }) => `*${escape(label)}:* ${escape(value)}`).join('\n');
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(message.title, HEADER_MAX) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(facts, SECTION_MAX) } },
  ];
  if (message.lines && message.lines.length > 0) {
    const lines = message.lines.map((line) => `• ${escape(line)}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines, SECTION_MAX) } });
  }
  if (message.actions.length > 0) {
    const actions = message.actions.map((action) => `\`${escape(action)}\``).join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*What to do*\n${actions}`, SECTION_MAX) },
    });
  }
  blocks.push({
    type: 'actions',
    elements: [
      { type: 'button', text: { type: 'plain_text', text: message.link.label }, url: message.link.url },
    ],
  });
  return { text: message.title, blocks };
}
