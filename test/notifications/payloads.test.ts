import { noticeMessage } from '../../activities/notifications/notify-operators';
import { emailText } from '../../connectors/notifications/email-sink';
import { slackPayload } from '../../connectors/notifications/slack';
import { teamsPayload } from '../../connectors/notifications/teams';

const message = noticeMessage(
  {
    event: 'needs-attention',
    subject: 'work order WO-00042',
    stage: 'SyncingMasterData',
    reason: 'product P-9000 is not maintained in F&O <check>',
    since: '2026-03-02T08:00:00.000Z',
    actions: [
      'fsfo work-order retry WO-00042',
      `temporal workflow update execute --workflow-id work-order-WO-00042 --name retry --input '{}'`,
    ],
  },
  'http://localhost:8233/namespaces/default/workflows/work-order-WO-00042/run-1/history',
);

test('Teams: a message with one Adaptive Card attachment that carries the facts, the commands and the link', () => {
  const payload = teamsPayload(message);
  expect(payload).toMatchObject({
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }],
  });
  expect(payload.attachments).toHaveLength(1);
  const card = payload.attachments[0]!.content;
  expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
  expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Needs attention: work order WO-00042' });
  expect(card.body[1]).toEqual({
    type: 'FactSet',
    facts: [
      { title: 'Document', value: 'work order WO-00042' },
      { title: 'Stage', value: 'SyncingMasterData' },
      { title: 'Reason', value: 'product P-9000 is not maintained in F&O <check>' },
      { title: 'Since', value: '2026-03-02T08:00:00.000Z' },
    ],
  });
  expect(card.body).toContainEqual(
    expect.objectContaining({ text: 'fsfo work-order retry WO-00042', fontType: 'Monospace' }),
  );
  expect(card.actions).toEqual([
    {
      type: 'Action.OpenUrl',
      title: 'Open in Temporal Web',
      url: 'http://localhost:8233/namespaces/default/workflows/work-order-WO-00042/run-1/history',
    },
  ]);
});

test('Slack: text and blocks (header, facts with mrkdwn escaped, commands as code, a link button)', () => {
  const payload = slackPayload(message);
  expect(payload.text).toBe('Needs attention: work order WO-00042');
  expect(payload.blocks).toEqual([
    { type: 'header', text: { type: 'plain_text', text: 'Needs attention: work order WO-00042' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          '*Document:* work order WO-00042\n*Stage:* SyncingMasterData\n' +
          '*Reason:* product P-9000 is not maintained in F&amp;O &lt;check&gt;\n*Since:* 2026-03-02T08:00:00.000Z',
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          '*What to do*\n`fsfo work-order retry WO-00042`\n' +
          "`temporal workflow update execute --workflow-id work-order-WO-00042 --name retry --input '{}'`",
      },
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in Temporal Web' },
          url: 'http://localhost:8233/namespaces/default/workflows/work-order-WO-00042/run-1/history',
        },
      ],
    },
  ]);
});

test('Slack: a header past 150 characters is clipped, as Slack refuses longer ones', () => {
  const long = slackPayload({ ...message, title: 'x'.repeat(400) });
  const header = long.blocks[0] as { text: { text: string } };
  expect(header.text.text).toHaveLength(150);
  expect(long.text).toHaveLength(400);
});

test('e-mail: plain text with the facts, what to do and the link', () => {
  expect(emailText(message)).toBe(
    [
      'Needs attention: work order WO-00042',
      '',
      'Document: work order WO-00042',
      'Stage:    SyncingMasterData',
      'Reason:   product P-9000 is not maintained in F&O <check>',
      'Since:    2026-03-02T08:00:00.000Z',
      '',
      'What to do:',
      '  fsfo work-order retry WO-00042',
      `  temporal workflow update execute --workflow-id work-order-WO-00042 --name retry --input '{}'`,
      '',
      'Open in Temporal Web: http://localhost:8233/namespaces/default/workflows/work-order-WO-00042/run-1/history',
      '',
    ].join('\n'),
  );
});
