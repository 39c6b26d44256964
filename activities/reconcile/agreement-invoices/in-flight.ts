import { Stage } from '../../../workflows/agreement-invoice/stages';
import type { InFlightRule } from '../in-flight';

/**
 * An agreement invoice is in flight while its workflow writes the free text invoice or records the
 * posting, and for 30 minutes after a change in Field Service: the `sync-agreement-invoices` schedule
 * tells its workflow of changes every 15 minutes by default, and the workflow reads them within seconds;
 * twice that leaves room for a run that takes long.
 */
export const agreementInvoiceInFlight: InFlightRule = {
  working: new Set([Stage.SyncingFreeTextInvoice, Stage.RecordingPosting, Stage.Posted]),
  parked: Stage.NeedsAttention,
  windowMs: 30 * 60_000,
};
