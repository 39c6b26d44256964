/**
 * A notification as every sink renders it: a title, facts (label and value), what to do (commands shown
 * verbatim) and a link. The Teams, Slack and e-mail renderers only change the shape, never the content.
 */
export interface OperatorMessage {
  title: string;
  facts: { label: string; value: string }[];
  /** Commands or updates an operator runs, shown as code. */
  actions: string[];
  link: { label: string; url: string };
  /** A further list, e.g. the digest's documents, one line each. */
  lines?: string[];
}
