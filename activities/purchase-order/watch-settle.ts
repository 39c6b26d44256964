/**
 * Field Service and F&O stamp changes to the second: the watchers leave the last seconds to their next
 * run, so a record changed again in the second a watermark was taken is never skipped.
 */
export const SETTLE_MS = 2_000;
