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
