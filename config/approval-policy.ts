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

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Not z.email(): this module is in the workflow bundle, where zod's own patterns are frozen.
const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * `APPROVERS`: who may approve or reject invoicing, comma-separated: Dataverse user ids (`systemuserid`),
 * Entra object ids, or e-mail addresses (a user's `domainname`). Unset: anyone who can reach the
 * workflow. Kept lower-case, so a match ignores case.
 */
export const approversSchema = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter((entry) => entry !== ''),
  )
  .pipe(
    z
      .array(
        z.string().refine((entry) => guidPattern.test(entry) || emailPattern.test(entry), {
          error: (issue) =>
            `"${String(issue.input)}" is neither a user or object id (GUID) nor an e-mail address`,
        }),
      )
      .min(1, 'must name at least one approver'),
  );
export type Approvers = readonly string[];

/**
 * Whether one of the decider's identities (the name they gave, their Dataverse user id, e-mail, Entra
 * object id) is on the list; an empty list lets anyone decide.
 */
export function mayDecide(approvers: Approvers, identities: readonly (string | undefined)[]): boolean {
  if (approvers.length === 0) return true;
  return identities.some(
    (identity) => identity !== undefined && approvers.includes(identity.trim().toLowerCase()),
  );
}
