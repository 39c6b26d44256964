import type { DataverseData, RowChange } from '../dataverse-data';
import type { Row } from '../schema';
import type { StepImage } from './execution-context';
import { AuthType, WEBHOOK_CONTRACT } from './registration-tables';

/** Where and how one delivery goes: the URL (with any query the auth adds), the auth headers, the step's images. */
export interface WebhookTarget {
  step: Row;
  url: URL;
  headers: Record<string, string>;
  images: StepImage[];
}

const enabled = 0;

/** `<settings><setting name="x" value="y"/></settings>`, the HttpHeader and HttpQueryString auth values. */
function settings(authValue: unknown): [string, string][] {
  const unescape = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const pairs: [string, string][] = [];
  for (const match of String(authValue ?? '').matchAll(
    /<setting\s+name="([^"]*)"\s+value="([^"]*)"\s*\/>/g,
  )) {
    pairs.push([unescape(match[1]), unescape(match[2])]);
  }
  return pairs;
}

/** The endpoint's URL and headers with its authentication applied, or undefined if it is no usable webhook. */
function webhookTarget(step: Row, endpoint: Row): Omit<WebhookTarget, 'images'> | undefined {
  if (endpoint.contract !== WEBHOOK_CONTRACT || typeof endpoint.url !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    return undefined;
  }
  const headers: Record<string, string> = {};
  if (endpoint.authtype === AuthType.WebhookKey)
    url.searchParams.set('code', String(endpoint.authvalue ?? ''));
  if (endpoint.authtype === AuthType.HttpHeader)
    Object.assign(headers, Object.fromEntries(settings(endpoint.authvalue)));
  if (endpoint.authtype === AuthType.HttpQueryString) {
    for (const [name, value] of settings(endpoint.authvalue)) url.searchParams.set(name, value);
  }
  return { step, url, headers };
}

/** The entity images registered on the step. */
function stepImages(data: DataverseData, step: Row): StepImage[] {
  return data
    .rows('sdkmessageprocessingstepimages')
    .filter((image) => image.sdkmessageprocessingstepid === step.sdkmessageprocessingstepid)
    .map((image) => ({
      alias: String(image.entityalias),
      type: Number(image.imagetype),
      attributes: columnList(image.attributes),
    }));
}

/** A comma-separated list of column logical names (`filteringattributes`, an image's `attributes`). */
const columnList = (value: unknown): string[] =>
  String(value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);

/** Whether an Update's attributes include one of the step's filtering attributes (none listed: any update). */
function passesFilteringAttributes(step: Row, change: RowChange): boolean {
  if (change.message !== 'Update') return true;
  const filtering = columnList(step.filteringattributes);
  return filtering.length === 0 || change.attributes.some((name) => filtering.includes(name));
}

/** The enabled webhook steps registered for this change's message and table, with their endpoints. */
export function matchingWebhooks(data: DataverseData, change: RowChange): WebhookTarget[] {
  const targets: WebhookTarget[] = [];
  for (const step of data.rows('sdkmessageprocessingsteps')) {
    if (step.statecode !== enabled) continue;
    const message =
      typeof step.sdkmessageid === 'string' ? data.get('sdkmessages', step.sdkmessageid) : undefined;
    if (message?.name !== change.message) continue;
    const filter =
      typeof step.sdkmessagefilterid === 'string'
        ? data.get('sdkmessagefilters', step.sdkmessagefilterid)
        : undefined;
    if (filter && filter.primaryobjecttypecode !== change.table.logicalName) continue;
    if (!passesFilteringAttributes(step, change)) continue;
    const endpoint =
      typeof step.eventhandler === 'string' ? data.get('serviceendpoints', step.eventhandler) : undefined;
    const target = endpoint && webhookTarget(step, endpoint);
    if (target) targets.push({ ...target, images: stepImages(data, step) });
  }
  return targets;
}
