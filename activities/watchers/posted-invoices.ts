import { and, eq, type FinanceClient, type Filter, ge, gt, lt, or } from '../../connectors';
import { type SalesInvoiceHeader, salesInvoiceHeaders } from '../../connectors/entities/finance';
import type { InvoiceCounts } from './contract';

/**
 * Where a reader of posted invoices stands: the last invoice it read in reading order (invoice date,
 * then `key`; '' before the first of that date) and how many it handled per date (`counted`).
 */
export interface InvoicePosition {
  invoiceDate: string;
  key: string;
  counted: InvoiceCounts;
}

/** Which posted invoices a reader reads, in what order, and how it counts them. */
export interface InvoiceScope {
  /** Invoices the filter selects in reading order (invoice date, then key), at most `top`. */
  read(filter: Filter, top: number): AsyncIterable<SalesInvoiceHeader>;
  count(filter: Filter): Promise<number>;
  /** The invoice's place in reading order within its date. */
  keyOf(invoice: SalesInvoiceHeader): string;
  /** The invoices of one date after this key; undefined for '' (all of them). */
  after(key: string): Filter | undefined;
}

/** The posted invoices of the connector's company, keyed by invoice number (the sales invoice sync). */
export function companyInvoices(finance: FinanceClient): InvoiceScope {
  return {
    read: (filter, top) =>
      finance.query(salesInvoiceHeaders, { filter, orderBy: ['InvoiceDate', 'InvoiceNumber'], top }),
    count: (filter) => finance.count(salesInvoiceHeaders, filter),
    keyOf: (invoice) => invoice.InvoiceNumber,
    after: (key) => (key === '' ? undefined : gt('InvoiceNumber', key)),
  };
}

/** The posted invoices of every company, keyed `<company>/<invoice number>` (the invoice watcher). */
export function allCompaniesInvoices(finance: FinanceClient): InvoiceScope {
  return {
    read: (filter, top) =>
      finance.queryAllCompanies(salesInvoiceHeaders, {
        filter,
        orderBy: ['InvoiceDate', 'dataAreaId', 'InvoiceNumber'],
        top,
      }),
    count: (filter) => finance.countAllCompanies(salesInvoiceHeaders, filter),
    keyOf: (invoice) => `${invoice.dataAreaId}/${invoice.InvoiceNumber}`,
    after: (key) => {
      if (key === '') return undefined;
      const slash = key.indexOf('/');
      const [company, number] = [key.slice(0, slash), key.slice(slash + 1)];
      return or(gt('dataAreaId', company), and(eq('dataAreaId', company), gt('InvoiceNumber', number)));
    },
  };
}

export interface InvoicePage {
  /** Invoices to handle; handling one twice must do no harm (a date read again hands all of its own). */
  invoices: SalesInvoiceHeader[];
  /** The position once every invoice of the page is handled. */
  position: InvoicePosition;
  /** There may be more to read: ask again from `position`. */
  more: boolean;
}

export interface InvoicePageOptions {
  limit: number;
  /** Dates checked behind the reader's newest (or today, if earlier): the lookback window. */
  lookbackDays: number;
  today: Date;
}

const DAY_MS = 86_400_000;
/** `YYYY-MM-DD` of an F&O date, which comes at midnight UTC (or noon in some tenants' data). */
const dayOf = (value: string | Date) => new Date(value).toISOString().slice(0, 10);
const midnight = (day: string) => new Date(`${day}T00:00:00.000Z`);
const addDays = (day: string, days: number) => dayOf(new Date(midnight(day).getTime() + days * DAY_MS));
const daysFrom = (first: string, last: string) =>
  (midnight(last).getTime() - midnight(first).getTime()) / DAY_MS;
/** Invoices dated from `first` through `last`, whatever time of day F&O gives a date. */
const dated = (first: string, last: string) =>
  and(ge('InvoiceDate', midnight(first)), lt('InvoiceDate', midnight(addDays(last, 1))));

/**
 * The next page of posted invoices after the position. Reads forward in order of invoice date and key;
 * once nothing is left forward, checks the lookback window with one `$count` against the invoices
 * counted in it. When they differ (an invoice posted with an earlier date, or one of the newest date
 * that sorts before the last read), `$count`s of halves find the earliest date that differs, and the
 * next pages read that date again in full. A run with nothing new costs one read and one count.
 */
export async function postedInvoicesPage(
  scope: InvoiceScope,
  position: InvoicePosition,
  options: InvoicePageOptions,
): Promise<InvoicePage> {
  if (position.counted.rereading) return rereadPage(scope, position, options.limit);
  const newest = dayOf(position.invoiceDate);
  const afterKey = scope.after(position.key);
  const forward = afterKey
    ? or(ge('InvoiceDate', midnight(addDays(newest, 1))), and(dated(newest, newest), afterKey))
    : ge('InvoiceDate', midnight(newest));
  const invoices: SalesInvoiceHeader[] = [];
  const days = { ...position.counted.days };
  let next = position;
  for await (const invoice of scope.read(forward, options.limit)) {
    invoices.push(invoice);
    const day = dayOf(invoice.InvoiceDate);
    days[day] = (days[day] ?? 0) + 1;
    next = {
      invoiceDate: midnight(day).toISOString(),
      key: scope.keyOf(invoice),
      counted: { ...position.counted, days },
    };
  }
  if (invoices.length >= options.limit) return { invoices, position: next, more: true };
  const checked = await checkWindow(scope, next, options);
  return { invoices, position: checked, more: checked.counted.rereading !== undefined };
}

/** Drops the counts that left the window and, when F&O counts otherwise, marks the earliest date that differs. */
async function checkWindow(
  scope: InvoiceScope,
  position: InvoicePosition,
  { lookbackDays, today }: InvoicePageOptions,
): Promise<InvoicePosition> {
  const newest = dayOf(position.invoiceDate);
  // An invoice dated in the future moves `newest` ahead: the window still reaches back from today.
  const anchor = [newest, dayOf(today)].sort()[0]!;
  const first = [position.counted.from, addDays(anchor, 1 - lookbackDays)].sort()[1]!;
  const days = Object.fromEntries(Object.entries(position.counted.days).filter(([day]) => day >= first));
  const counted: InvoiceCounts = { from: first, days };
  if (first > newest) return { ...position, counted };
  const kept = (from: string, to: string) =>
    Object.entries(days).reduce((sum, [day, count]) => (day >= from && day <= to ? sum + count : sum), 0);
  if ((await scope.count(dated(first, newest))) === kept(first, newest)) return { ...position, counted };
  // [low, high] differs: halve it until one date is left.
  let [low, high] = [first, newest];
  while (low < high) {
    const middle = addDays(low, Math.floor(daysFrom(low, high) / 2));
    if ((await scope.count(dated(low, middle))) !== kept(low, middle)) high = middle;
    else low = addDays(middle, 1);
  }
  return { ...position, counted: { ...counted, rereading: { day: low, key: '', read: 0 } } };
}

/** The next page of the date being read again; once it is read to the end, its count is what was read. */
async function rereadPage(
  scope: InvoiceScope,
  position: InvoicePosition,
  limit: number,
): Promise<InvoicePage> {
  const { rereading, ...counted } = position.counted;
  const { day, key, read } = rereading!;
  const afterKey = scope.after(key);
  const invoices: SalesInvoiceHeader[] = [];
  for await (const invoice of scope.read(
    afterKey ? and(dated(day, day), afterKey) : dated(day, day),
    limit,
  )) {
    invoices.push(invoice);
  }
  const last = invoices.length > 0 ? scope.keyOf(invoices.at(-1)!) : key;
  const total = read + invoices.length;
  if (invoices.length >= limit) {
    return {
      invoices,
      position: { ...position, counted: { ...counted, rereading: { day, key: last, read: total } } },
      more: true,
    };
  }
  const { [day]: _previous, ...otherDays } = counted.days;
  const days = total > 0 ? { ...otherDays, [day]: total } : otherDays;
  // Every invoice of the newest date up to the last just read is handled: reading forward goes on after it.
  const onNewest = day === dayOf(position.invoiceDate) && last !== '';
  return {
    invoices,
    position: { ...position, key: onNewest ? last : position.key, counted: { ...counted, days } },
    // Another date may differ too: the next page checks the window again.
    more: true,
  };
}
