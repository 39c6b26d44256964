/**
 * Field Service and F&O stamp changes to the second: watchers and syncs that read by change time leave
 * the last seconds to their next run, so a record changed again in the second a watermark was taken is
 * never skipped.
 */
export const SETTLE_MS = 2_000;
