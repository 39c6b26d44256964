import { Notices } from '../integration/notices';

/** The version number in a Dataverse ETag (`W/"470867"`), which grows with every write to the row. */
function versionNumber(etag: string): bigint | undefined {
  const digits = /^W\/"(\d+)"$/.exec(etag)?.[1];
  return digits === undefined ? undefined : BigInt(digits);
}

/**
 * Whether a change notice carrying `reported` (the row's ETag as the notifier read it) may be news to a
 * workflow that last read or wrote the row at `known`: not when it is that version or an older one.
 */
export function isNewer(reported: string | undefined, known: string | undefined): boolean {
  if (reported === undefined || known === undefined) return true;
  const [reportedNumber, knownNumber] = [versionNumber(reported), versionNumber(known)];
  if (reportedNumber === undefined || knownNumber === undefined) return reported !== known;
  return reportedNumber > knownNumber;
}

/**
 * `workOrderChanged` notices, judged when the workflow looks at them rather than when they arrive: the
 * echo of the workflow's own write can arrive in the same workflow task as the write's result, and the
 * SDK runs signal handlers first, so on arrival it would look newer than the version the workflow holds.
 * Pending while the newest version reported since the last read is newer than the one held (`known`), or
 * a notice came without a version.
 */
export class ChangeNotices {
  readonly #notices = new Notices();
  /** The newest ETag reported since the last read; null once a notice came without one. */
  #newest: string | null | undefined;

  constructor(private readonly known: () => string | undefined) {}

  receive(etag: string | undefined): void {
    this.#notices.receive();
    if (etag === undefined || this.#newest === null) this.#newest = null;
    else if (this.#newest === undefined || isNewer(etag, this.#newest)) this.#newest = etag;
  }

  /** Call right before reading the work order: it answers every notice received so far. */
  handle(): void {
    this.#notices.handle();
    this.#newest = undefined;
  }

  get pending(): boolean {
    if (!this.#notices.pending) return false;
    return this.#newest === null || isNewer(this.#newest, this.known());
  }
}
