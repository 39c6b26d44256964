import { getClient } from '@temporalio/activity';
import { signalFinancePurchaseOrderChanged, startPurchaseOrder } from '../../client/starters/purchase-order';
import type { Config } from '../../config/config';
import { and, eq, gt, lt, or } from '../../connectors';
import { purchaseOrderHeaders } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { noCounts, type SyncCounts } from '../master-data/contract';
import type { MasterDataSync } from '../master-data/master-data-sync';
import type { submittedPurchaseOrders } from './submitted-purchase-orders';
import { SETTLE_MS } from '../settle';

/**
 * The workflow of each submitted Field Service purchase order changed since the watermark is started,
 * or told of the change (`created`); a completed one is left (`unchanged`). Runs in an activity, on the
 * worker's Temporal client.
 */
export function purchaseOrderStarts(
  config: Config,
  source: ReturnType<typeof submittedPurchaseOrders>,
): MasterDataSync {
  const start = async (numbers: readonly string[]): Promise<SyncCounts> => {
    const counts = noCounts();
    for (const key of numbers) {
      const outcome = await startPurchaseOrder(getClient(), config, key);
      if (outcome === 'already-completed') counts.unchanged++;
      else counts.created++;
    }
    return counts;
  };
  return {
    summary: 'Starts or signals the workflows of purchase orders submitted or changed in Field Service',
    async changes(after, limit) {
      const page = await source.page(after, limit);
      return { ...(await start(page.numbers)), watermark: page.watermark, more: page.more };
    },
    async records(keys) {
      return start(await source.byNumbers(keys));
    },
  };
}

/**
 * F&O purchase orders changed since the watermark (`ModifiedDateTime`, then number: approvals,
 * prices, receipts, cancellations; the last seconds wait for the next run): each one's workflow is signalled (`updated`); orders without a
 * workflow are not the integration's (`unchanged`). One query per page, whatever the number of
 * waiting workflows.
 */
export function financePurchaseOrderChanges(finance: FinanceClient): MasterDataSync {
  const signal = async (numbers: readonly string[]): Promise<SyncCounts> => {
    const counts = noCounts();
    for (const number of numbers) {
      const outcome = await signalFinancePurchaseOrderChanged(getClient(), number);
      if (outcome === 'signalled') counts.updated++;
      else counts.unchanged++;
    }
    return counts;
  };
  return {
    summary: 'Signals the workflows of purchase orders changed in F&O (approval, prices, receipts)',
    async changes(after, limit) {
      const at = new Date(after.changedOn ?? 0);
      const filter = and(
        or(gt('ModifiedDateTime', at), and(eq('ModifiedDateTime', at), gt('PurchaseOrderNumber', after.key))),
        lt('ModifiedDateTime', new Date(Date.now() - SETTLE_MS)),
      );
      const orders: { number: string; modifiedOn: string }[] = [];
      for await (const order of finance.query(purchaseOrderHeaders, {
        filter,
        orderBy: ['ModifiedDateTime', 'PurchaseOrderNumber'],
        select: ['PurchaseOrderNumber', 'ModifiedDateTime'],
        top: limit,
      })) {
        orders.push({ number: order.PurchaseOrderNumber, modifiedOn: String(order.ModifiedDateTime) });
      }
      const last = orders.at(-1);
      const watermark = last ? { changedOn: last.modifiedOn, key: last.number } : after;
      return {
        ...(await signal(orders.map((order) => order.number))),
        watermark,
        more: orders.length >= limit,
      };
    },
    records: signal,
  };
}
