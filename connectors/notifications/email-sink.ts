import { createTransport } from 'nodemailer';
import type { NotificationSettings } from '../../config/notifications';
import type { OperatorMessage } from './message';
import { SinkError } from './sink-error';

type EmailSettings = NonNullable<NotificationSettings['email']>;

/** The message as plain text: title, facts, the lines, what to do, the link. */
export function emailText(message: OperatorMessage): string {
  const width = Math.max(...message.facts.map((fact) => fact.label.length));
  const parts = [
    message.title,
    '',
    ...message.facts.map(({ label, value }) => `${`${label}:`.padEnd(width + 2)}${value}`),
  ];
  if (message.lines && message.lines.length > 0) parts.push('', ...message.lines.map((line) => `- ${line}`));
  if (message.actions.length > 0) parts.push('', 'What to do:', ...message.actions.map((a) => `  ${a}`));
  parts.push('', `${message.link.label}: ${message.link.url}`);
  return `${parts.join('\n')}\n`;
}

/**
 * Sends the message over SMTP with the given `Message-ID`: derived from the notice, so a resend after an
 * interrupted attempt carries the same one and mail clients show it once.
 */
export async function sendEmail(
  email: EmailSettings,
  message: OperatorMessage,
  messageId: string,
): Promise<void> {
  const transport = createTransport({
    url: email.smtpUrl.reveal(),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: email.from,
      to: email.to,
      subject: message.title,
      text: emailText(message),
      messageId,
    });
  } catch (err) {
    const { message: reason, responseCode } = err as { message?: string; responseCode?: number };
    // 5xx replies are permanent (a refused sender or recipient); 4xx and network failures pass.
    const permanent = responseCode !== undefined && responseCode >= 500;
    throw new SinkError(
      `SMTP: ${reason ?? String(err)}` +
        (permanent ? ' (check SMTP_URL, NOTIFY_EMAIL_FROM and NOTIFY_EMAIL_TO)' : ''),
      !permanent,
    );
  } finally {
    transport.close();
  }
}
