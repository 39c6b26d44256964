import { ge } from '../../connectors';
import { purchaseOrderHeaders } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';

export interface ChangedOrderIndexOptions {
  refreshMs: number;
  lookbackDays: number;
}

/**
 * F&O purchase orders changed in the last days, by number, with their latest `ModifiedDateTime`: one
 * query per worker per refresh, shared by the daily safety re-check of every waiting purchase order
 * workflow, so waiting costs F&O the same for 1 or 1,000 orders.
 */
export class ChangedOrderIndex {
  readonly #finance: FinanceClient;
  readonly #options: ChangedOrderIndexOptions;
  #loaded: { at: number; modified: Promise<ReadonlyMap<string, string>> } | undefined;

  constructor(
    finance: FinanceClient,
    options: ChangedOrderIndexOptions = { refreshMs: 15 * 60_000, lookbackDays: 3 },
  ) {
    this.#finance = finance;
    this.#options = options;
  }

  /**
   * Whether F&O changed the order after `modifiedOn` (its stamp when the workflow last read it). A stamp
   * older than the index reaches counts as changed: the workflow then reads the order itself.
   */
  async changedSince(purchaseOrderNumber: string, modifiedOn: string): Promise<boolean> {
    const reach = Date.now() - (this.#options.lookbackDays - 1) * 86_400_000;
    if (Number.isNaN(Date.parse(modifiedOn)) || Date.parse(modifiedOn) < reach) return true;
    if (this.#loaded === undefined || Date.now() - this.#loaded.at > this.#options.refreshMs) {
      const modified = this.#load();
      this.#loaded = { at: Date.now(), modified };
      modified.catch(() => (this.#loaded = undefined));
    }
    const latest = (await this.#loaded.modified).get(purchaseOrderNumber);
    return latest !== undefined && Date.parse(latest) > Date.parse(modifiedOn);
  }

  async #load(): Promise<ReadonlyMap<string, string>> {
    const since = new Date(Date.now() - this.#options.lookbackDays * 86_400_000);
    const modified = new Map<string, string>();
    for await (const header of this.#finance.query(purchaseOrderHeaders, {
      filter: ge('ModifiedDateTime', since),
      select: ['PurchaseOrderNumber', 'ModifiedDateTime'],
    })) {
      modified.set(header.PurchaseOrderNumber, String(header.ModifiedDateTime));
    }
    return modified;
  }
}
