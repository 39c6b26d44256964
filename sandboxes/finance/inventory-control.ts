import { z } from 'zod';
import { jsonResponse } from '../http/json';
import { readControlBody } from '../platform/control-body';
import { controlError, type ControlRoute } from '../platform/control-router';
import type { FinanceData } from './finance-data';
import { countStock, postInventoryJournal, postPendingInventoryJournals, shipSalesOrder } from './inventory';

const bulkCount = z
  .object({
    levels: z
      .array(
        z
          .object({
            company: z.string().min(1),
            warehouse: z.string().min(1),
            item: z.string().min(1),
            onHand: z.number().finite(),
          })
          .strict(),
      )
      .max(50_000),
  })
  .strict();

/** Simulated F&O users and batch jobs that move stock. */
export function inventoryControlRoutes(data: FinanceData): ControlRoute[] {
  return [
    {
      method: 'POST',
      path: /^\/inventory-journals\/post$/,
      handle: () => {
        const results = postPendingInventoryJournals(data);
        return jsonResponse(200, {
          posted: results.flatMap((result) => (result.ok ? [result.journal] : [])),
          failed: results.flatMap((result) => (result.ok ? [] : [result.message])),
        });
      },
    },
    {
      method: 'POST',
      path: /^\/inventory-journals\/([^/]+)\/([^/]+)\/post$/,
      handle: (_request, [company, journalNumber]) => {
        const result = postInventoryJournal(data, company.toLowerCase(), journalNumber);
        return result.ok ? jsonResponse(200, result.journal) : controlError(result.status, result.message);
      },
    },
    {
      method: 'POST',
      path: /^\/on-hand$/,
      handle: (request) => {
        const body = readControlBody(request, bulkCount);
        if (!body.ok) return body.response;
        for (const { company, warehouse, item, onHand } of body.value.levels)
          countStock(data, company.toLowerCase(), item, warehouse, onHand);
        return jsonResponse(200, { counted: body.value.levels.length });
      },
    },
    {
      method: 'POST',
      path: /^\/sales-orders\/([^/]+)\/([^/]+)\/ship$/,
      handle: (_request, [company, salesOrderNumber]) => {
        const result = shipSalesOrder(data, company.toLowerCase(), salesOrderNumber);
        return result.ok
          ? jsonResponse(200, { shipped: result.shipped })
          : controlError(result.status, result.message);
      },
    },
    {
      method: 'PUT',
      path: /^\/on-hand\/([^/]+)\/([^/]+)\/([^/]+)$/,
      handle: (request, [company, warehouse, item]) => {
        const body = readControlBody(request, z.object({ onHand: z.number().finite() }).strict());
        if (!body.ok) return body.response;
        const {
          RecId: _recId,
          RecVersion: _version,
          ...level
        } = countStock(data, company.toLowerCase(), item, warehouse, body.value.onHand);
        return jsonResponse(200, level);
      },
    },
  ];
}
