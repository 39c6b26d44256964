import { catalogLine, type SandboxClient } from '../bench/sandbox-client';

/** Every this many work orders (the first, the fourth, …), one goes through approval. */
const APPROVAL_EVERY = 3;
/** Approval work orders are this many times larger than the others, so their total is above the bound. */
const APPROVAL_SCALE = 10;
/** Line 1 (always a product) of an approval work order, as the technician corrects it while it waits. */
const CORRECTED_QUANTITY = 15;

/** A line the F&O sales order must end with: line number, product, quantity (hours for services), price. */
export interface PlannedLine {
  line: number;
  product: string;
  quantity: number;
  price: number;
}

export interface WorkOrderPlan {
  number: string;
  /**
   * Above the approval bound: it waits for approval, is changed in Field Service meanwhile (its last line
   * deleted, line 1's quantity changed, a line added) and is approved by the driver once F&O's order
   * shows the change. The others are approved by the policy and never changed.
   */
  approval: boolean;
  scale: number;
  /** Lines it is created with. */
  lines: number;
  /** The lines its F&O sales order, F&O invoice and Field Service invoice must end with. */
  final: PlannedLine[];
}

const planned = (line: number, scale: number, quantity?: number): PlannedLine => {
  const { item, quantity: created } = catalogLine(line, scale);
  return { line, product: item.number, quantity: quantity ?? created, price: item.price };
};

const lineNumbers = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);

/** What the edits leave of a work order created with `lines` lines at `scale`. */
function edited(lines: number, scale: number): PlannedLine[] {
  const kept = lines >= 2 ? lineNumbers(2, lines - 1) : [];
  return [
    planned(1, scale, CORRECTED_QUANTITY),
    ...kept.map((line) => planned(line, scale)),
    planned(lines + 1, scale),
  ];
}

/** F&O's total of an order of these lines: each line's amount rounded to the cent. */
export const orderTotal = (lines: readonly PlannedLine[]): number =>
  lines.reduce((sum, line) => sum + Math.round(line.quantity * line.price * 100) / 100, 0);

/** Lines as `product × quantity`, sorted: how the checks compare them. */
export const productQuantities = (lines: readonly { product: string; quantity: number }[]): string[] =>
  lines.map((line) => `${line.product} × ${line.quantity}`).sort();

/**
 * The work orders of a run and the approval policy that splits them: `above:<bound>`, the bound twice a
 * plain work order's total, so the approval work orders stay above it before and after their edits.
 */
export function planWorkOrders(
  numbers: readonly string[],
  lines: number,
): { plans: WorkOrderPlan[]; approvalPolicy: string } {
  const plans = numbers.map((number, index): WorkOrderPlan => {
    const approval = index % APPROVAL_EVERY === 0;
    const scale = approval ? APPROVAL_SCALE : 1;
    const final = approval ? edited(lines, scale) : lineNumbers(1, lines).map((line) => planned(line, scale));
    return { number, approval, scale, lines, final };
  });
  const plain = orderTotal(lineNumbers(1, lines).map((line) => planned(line, 1)));
  const bound = 2 * plain;
  const approvalTotals = [
    orderTotal(lineNumbers(1, lines).map((line) => planned(line, APPROVAL_SCALE))),
    orderTotal(edited(lines, APPROVAL_SCALE)),
  ];
  if (approvalTotals.some((total) => total <= bound))
    throw new Error(`with ${lines} lines an approval work order is not above the bound ${bound}`);
  return { plans, approvalPolicy: `above:${bound}` };
}

/**
 * The technician's changes to an approval work order while it awaits approval, made idempotently (the
 * lines are read first, so a request the sandbox carried out before dropping the connection is not
 * repeated): the last line deleted (when there are two or more), line 1's quantity corrected, a line added.
 */
export async function editWhileAwaitingApproval(sandbox: SandboxClient, plan: WorkOrderPlan): Promise<void> {
  const id = await sandbox.workOrderId(plan.number);
  const lines = await sandbox.workOrderLines(id);
  const last = plan.lines >= 2 ? lines.find((line) => line.line === plan.lines) : undefined;
  if (last) await sandbox.deleteLine(last);
  const first = lines.find((line) => line.line === 1);
  if (!first) throw new Error(`${plan.number} has no line 1`);
  if (first.quantity !== CORRECTED_QUANTITY) await sandbox.setProductQuantity(first.id, CORRECTED_QUANTITY);
  if (!lines.some((line) => line.line === plan.lines + 1))
    await sandbox.addUsedLine(id, plan.number, plan.lines + 1, plan.scale);
}
