import { z } from 'zod';

/**
 * When invoicing needs a person's approval: `always` (default), `never`, or `above:<amount>` (only
 * sales orders whose total exceeds the amount, in the order's currency).
 */
export const approvalPolicySchema = z.union([
  z.literal('always'),
  z.literal('never'),
  z.string().regex(/^above:\d+(\.\d+)?$/, "must be 'always', 'never' or 'above:<amount>', e.g. above:1000"),
]);
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

export function approvalRequired(policy: ApprovalPolicy, orderTotal: number): boolean {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return orderTotal > Number(policy.slice('above:'.length));
}
