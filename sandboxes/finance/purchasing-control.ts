import { z } from 'zod';
import { jsonResponse } from '../http/json';
import { readControlBody } from '../platform/control-body';
import { controlError, type ControlRoute } from '../platform/control-router';
import type { FinanceData } from './finance-data';
import { setPurchasePrice } from './purchase-pricing';
import {
  type ApprovalAction,
  approvalActions,
  cancelPurchaseOrder,
  changeApproval,
  type PurchasingResult,
  receivePurchaseOrder,
} from './purchasing';

const receiptBody = z
  .object({
    lines: z
      .array(z.object({ lineNumber: z.number().int().positive(), quantity: z.number() }).strict())
      .min(1)
      .optional(),
    productReceiptNumber: z.string().min(1).max(20).optional(),
    receiptDate: z
      .string()
      .refine((value) => !Number.isNaN(Date.parse(value)))
      .optional(),
  })
  .strict();

const priceBody = z
  .object({
    company: z.string().min(1),
    vendor: z.string().min(1),
    item: z.string().min(1),
    price: z.number().nonnegative(),
    discountPercentage: z.number().min(0).max(100).optional(),
  })
  .strict();

const actions = Object.keys(approvalActions).join('|');

/** A procurement user in F&O: trade agreement prices, approval, confirmation, cancellation, product receipts. */
export function purchasingControlRoutes(data: FinanceData): ControlRoute[] {
  return [
    {
      method: 'PUT',
      path: /^\/purchase-prices$/,
      handle: (request) => {
        const body = readControlBody(request, priceBody);
        if (!body.ok) return body.response;
        setPurchasePrice(data, body.value);
        return jsonResponse(200, body.value);
      },
    },
    {
      method: 'POST',
      path: new RegExp(`^/purchase-orders/([^/]+)/([^/]+)/(${actions})$`),
      handle: (_request, [company, number, action]) =>
        result(changeApproval(data, company.toLowerCase(), number, action as ApprovalAction)),
    },
    {
      method: 'POST',
      path: /^\/purchase-orders\/([^/]+)\/([^/]+)\/cancel$/,
      handle: (_request, [company, number]) =>
        result(cancelPurchaseOrder(data, company.toLowerCase(), number)),
    },
    {
      method: 'POST',
      path: /^\/purchase-orders\/([^/]+)\/([^/]+)\/receive$/,
      handle: (request, [company, number]) => {
        const body = readControlBody(request, receiptBody);
        if (!body.ok) return body.response;
        return result(receivePurchaseOrder(data, company.toLowerCase(), number, body.value));
      },
    },
  ];
}

function result(outcome: PurchasingResult) {
  return outcome.ok ? jsonResponse(200, outcome.body) : controlError(outcome.status, outcome.message);
}
