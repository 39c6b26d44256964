import { RecordMappingError } from '../../../mappings/engine';
import type { PurchaseOrderState } from '../../../workflows/purchase-order/state';
import type { OwnedValues } from '../../purchase-order/contract';
import type { PurchaseOrderTasks } from '../../purchase-order/purchase-order-tasks';
import { driftMaker, type MakeDrift } from '../document-drift';
import type { Outcome } from '../document-pages';
import type { Drift, Fix } from '../drift';
import { notJudged } from '../in-flight';
import type { ReconcileScope } from '../join';
import { personFix, repairFix } from '../repairs';
import { show } from '../value-differences';
import {
  type Difference,
  describeDifferences,
  fieldServiceOwnedDifferences,
  financeOwnedDifferences,
  sidesOf,
} from './compare';
import { purchaseOrderInFlight } from './in-flight';
import type { PurchaseOrderFacts } from './purchase-order-page';
import { compareReceipts, type ReceiptComparison, receivedByLine } from './receipts';

export const JOIN_NAME = 'purchase orders';

/** F&O order statuses after which the workflow ends: nothing more comes to Field Service. */
const FINISHED = new Set(['Received', 'Invoiced', 'Canceled']);

export interface EvaluateDeps {
  tasks: PurchaseOrderTasks;
  /** The running workflow's `status` query; undefined when no worker answers. */
  stateOf(workflowId: string): Promise<PurchaseOrderState | undefined>;
}

/**
 * Judges a Field Service purchase order against its F&O order, lines and product receipts, the Field
 * Service receipts and its workflow. In flight, not judged: a workflow reading or writing, or an order
 * changed on either side within the in-flight window. A parked workflow is reported by the workflow pass.
 */
export async function evaluatePurchaseOrder(
  facts: PurchaseOrderFacts,
  scope: ReconcileScope,
  deps: EvaluateDeps,
): Promise<Outcome> {
  const changed = [facts.modifiedOn, facts.order?.ModifiedDateTime];
  return (
    notJudged(purchaseOrderInFlight, facts.workflow, changed, scope.now) ?? {
      kind: 'judged',
      drifts: await new PurchaseOrderJudgement(facts, deps).drifts(),
    }
  );
}

function sameValues(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => (a[key] ?? null) === (b[key] ?? null));
}

/** Whether Field Service's own columns still hold what F&O was last told (the workflow's `synced`). */
function sameOwned(a: OwnedValues, b: OwnedValues | undefined): boolean {
  if (!b) return false;
  const lines = Object.keys(a.lines);
  return (
    sameValues(a.header, b.header) &&
    lines.length === Object.keys(b.lines).length &&
    lines.every((line) => sameValues(a.lines[line], b.lines[line]))
  );
}

/** What a workflow-side fix is for: F&O's values in Field Service, Field Service's in F&O, the order, a receipt. */
type Cause = 'finance' | 'fieldService' | 'order' | { receipt: number };

/** The drifts of one order, from what differs and who can repair it. */
class PurchaseOrderJudgement {
  readonly #facts: PurchaseOrderFacts;
  readonly #deps: EvaluateDeps;
  readonly #drift: MakeDrift;
  #state: Promise<PurchaseOrderState | undefined> | undefined;

  constructor(facts: PurchaseOrderFacts, deps: EvaluateDeps) {
    this.#facts = facts;
    this.#deps = deps;
    this.#drift = driftMaker(JOIN_NAME, facts.workflow);
  }

  get #number() {
    return this.#facts.number;
  }

  /** The order's workflow: running (and waiting for F&O, the rest being in flight or parked), ended, or none. */
  get #workflow(): 'running' | 'completed' | 'none' {
    const { workflow } = this.#facts;
    if (workflow?.running) return 'running';
    return workflow?.status === 'Completed' ? 'completed' : 'none';
  }

  get #finished(): boolean {
    return FINISHED.has(String(this.#facts.order?.PurchaseOrderStatus));
  }

  async drifts(): Promise<Drift[]> {
    const facts = this.#facts;
    const live = !facts.order || !this.#finished;
    const problem =
      facts.mappingProblem ??
      (facts.snapshot.problems.length > 0 ? facts.snapshot.problems.join('; ') : undefined);
    if (problem && live && this.#workflow !== 'completed')
      return [
        this.#needsAttention(
          `Purchase order ${facts.number} cannot go to F&O: ${problem}.`,
          personFix(
            `Fix purchase order ${facts.number} in Field Service, then run the command.`,
            `fsfo purchase-order start ${facts.number}`,
          ),
        ),
      ];
    let differences: Difference[] = [];
    if (facts.order) {
      try {
        differences = [
          ...(facts.expected
            ? fieldServiceOwnedDifferences(facts.expected, facts.order, facts.orderLines)
            : []),
          ...financeOwnedDifferences(this.#deps.tasks, facts.fieldService, facts.order, facts.orderLines),
        ];
      } catch (err) {
        if (!(err instanceof RecordMappingError)) throw err;
        return [
          this.#needsAttention(
            `F&O's purchase order ${facts.number} cannot be shown in Field Service: ${err.message}.`,
            personFix(
              "Correct the mapping project's task the message names (e.g. add the value to its value map), or F&O's order.",
            ),
          ),
        ];
      }
    }
    const receipts = compareReceipts(facts.financeReceipts, facts.fieldServiceReceipts);
    const byPerson = [...this.#receiptsForAPerson(receipts), ...this.#totals(differences, receipts)];
    if (this.#workflow === 'none') {
      const orphan = this.#withoutWorkflow(differences, receipts);
      return [...(orphan ? [orphan] : []), ...byPerson];
    }
    if (!facts.order) return [await this.#missingOrder()];
    const header = differences.filter((difference) => difference.line === undefined);
    const lines = differences.filter((difference) => difference.line !== undefined);
    return [
      ...(header.length > 0 ? [await this.#differs('header differs', header)] : []),
      ...(lines.length > 0 ? [await this.#differs('lines differ', lines)] : []),
      ...(await Promise.all(receipts.notRecorded.map((entry) => this.#notRecorded(entry)))),
      ...byPerson,
    ];
  }

  #needsAttention(message: string, fix: Fix): Drift {
    const number = this.#number;
    return this.#drift(
      'needs attention',
      'purchase order',
      number,
      { fieldService: { purchaseOrder: number }, finance: null },
      message,
      fix,
    );
  }

  /**
   * Submitted in Field Service with no workflow to follow it (never started, or it failed or was
   * terminated): one drift saying what it would repair. None when F&O has finished the order and
   * Field Service shows it all (a workflow's record may have gone with Temporal's retention).
   */
  #withoutWorkflow(differences: readonly Difference[], receipts: ReceiptComparison): Drift | undefined {
    const { order, workflow } = this.#facts;
    const number = this.#number;
    const what = [
      ...(order ? [] : ['F&O has no order of it']),
      ...(differences.length > 0 ? [`they differ (${describeDifferences(differences)})`] : []),
      ...receipts.notRecorded.map(
        ({ receipt }) => `F&O product receipt ${receipt.header.ProductReceiptNumber} is not recorded`,
      ),
    ];
    if (what.length === 0 && order && this.#finished) return undefined;
    const sides = sidesOf(differences);
    return this.#drift(
      'orphan',
      'purchase order',
      number,
      {
        fieldService: { purchaseOrder: number, ...sides.fieldService },
        finance: order
          ? {
              PurchaseOrderNumber: order.PurchaseOrderNumber,
              DocumentApprovalStatus: order.DocumentApprovalStatus ?? null,
              PurchaseOrderStatus: order.PurchaseOrderStatus ?? null,
              ...sides.finance,
            }
          : null,
      },
      `Purchase order ${number} goes to F&O, but no workflow follows it` +
        (workflow ? ` (its workflow ended ${workflow.status})` : '') +
        (what.length > 0
          ? `: ${what.join('; ')}.`
          : ': F&O’s approval, prices and receipts would never reach Field Service.'),
      repairFix({ action: 'startPurchaseOrder', purchaseOrderNumber: number }),
    );
  }

  async #missingOrder(): Promise<Drift> {
    const number = this.#number;
    const { workflow } = this.#facts;
    return this.#drift(
      'missing',
      'F&O purchase order',
      number,
      { fieldService: { purchaseOrder: number }, finance: null },
      `F&O has no purchase order ${number}, which its workflow wrote ` +
        (workflow?.running
          ? `and waits on (${workflow.stage ?? 'no stage'}).`
          : `before it ended (${workflow?.stage ?? workflow?.status}).`),
      await this.#fix('order'),
    );
  }

  async #differs(driftClass: 'header differs' | 'lines differ', differences: Difference[]): Promise<Drift> {
    const number = this.#number;
    return this.#drift(
      driftClass,
      'purchase order',
      number,
      sidesOf(differences),
      `Purchase order ${number} differs between Field Service and F&O: ${describeDifferences(differences)}.`,
      await this.#fix(
        differences.some((difference) => difference.owner === 'fieldService') ? 'fieldService' : 'finance',
      ),
    );
  }

  async #notRecorded({ receipt, lines, whole }: ReceiptComparison['notRecorded'][number]): Promise<Drift> {
    const number = this.#number;
    const { ProductReceiptNumber: receiptNumber, RecordId } = receipt.header;
    const quantities = lines.map(
      (line) => `line ${line.PurchaseOrderLineNumber}: ${line.ReceivedPurchaseQuantity}`,
    );
    return this.#drift(
      'not recorded',
      'F&O product receipt',
      receiptNumber,
      {
        fieldService: whole ? null : { receipt: receiptNumber, msdyn_recordid: RecordId },
        finance: {
          ProductReceiptNumber: receiptNumber,
          RecordId,
          lines: lines.map((line) => ({
            RecordId: line.RecordId,
            PurchaseOrderLineNumber: line.PurchaseOrderLineNumber,
            ReceivedPurchaseQuantity: line.ReceivedPurchaseQuantity,
          })),
        },
      },
      whole
        ? `F&O posted product receipt ${receiptNumber} of purchase order ${number} (${quantities.join(', ')}), but Field Service has not recorded it.`
        : `Field Service's receipt ${receiptNumber} of purchase order ${number} lacks lines F&O posted (${quantities.join(', ')}).`,
      await this.#fix({ receipt: RecordId }),
    );
  }

  /** Receipts recorded twice, that record nothing F&O has, or whose quantities differ: the workflow records each once and never changes one. */
  #receiptsForAPerson(receipts: ReceiptComparison): Drift[] {
    const number = this.#number;
    const undo = 'and undo the stock it booked, if it booked any';
    return [
      ...receipts.duplicated.map(({ receipt, rows }) => {
        const { ProductReceiptNumber: receiptNumber, RecordId } = receipt.header;
        return this.#drift(
          'duplicated',
          'Field Service receipt',
          receiptNumber,
          {
            fieldService: {
              receipts: rows.map((row) => ({ msdyn_name: row.name, msdyn_recordid: row.recordId })),
            },
            finance: { ProductReceiptNumber: receiptNumber, RecordId },
          },
          `Field Service records F&O product receipt ${receiptNumber} of purchase order ${number} ` +
            `${rows.length} times; F&O posted it once.`,
          personFix(
            `Delete the Field Service receipts of ${receiptNumber} other than the one with record id ${RecordId}, ${undo}.`,
          ),
        );
      }),
      ...receipts.orphans.map((receipt) =>
        this.#drift(
          'orphan',
          'Field Service receipt',
          receipt.name,
          { fieldService: { msdyn_name: receipt.name, msdyn_recordid: receipt.recordId }, finance: null },
          `Field Service receipt ${receipt.name} of purchase order ${number} records ${receipt.recordId === null ? 'no F&O receipt' : `F&O record ${receipt.recordId}, which is no product receipt of that order in F&O`}.`,
          personFix(
            `Delete Field Service receipt ${receipt.name}, ${undo}; F&O's product receipts are the record.`,
          ),
        ),
      ),
      ...receipts.lineDifferences.map(({ receipt, differences }) => {
        const receiptNumber = receipt.header.ProductReceiptNumber;
        const name = (d: (typeof differences)[number]) =>
          `record ${d.recordId ?? '(none)'}${d.line === undefined ? '' : ` (line ${d.line})`}`;
        return this.#drift(
          'lines differ',
          'Field Service receipt',
          receiptNumber,
          {
            fieldService: Object.fromEntries(differences.map((d) => [name(d), d.fieldService])),
            finance: Object.fromEntries(differences.map((d) => [name(d), d.finance])),
          },
          `Field Service receipt ${receiptNumber} of purchase order ${number} differs from F&O's: ` +
            differences
              .map((d) => `${name(d)}: Field Service ${show(d.fieldService)}, F&O ${show(d.finance)}`)
              .join('; ') +
            '.',
          personFix(`Correct the lines of Field Service receipt ${receiptNumber} to F&O's product receipt.`),
        );
      }),
    ];
  }

  /**
   * Received quantities, once every receipt is recorded exactly once, and the order's total, once every
   * line agrees: Field Service adds them up itself, and no workflow writes them again.
   */
  #totals(differences: readonly Difference[], receipts: ReceiptComparison): Drift[] {
    const { order, orderLines, fieldService, financeReceipts } = this.#facts;
    if (!order) return [];
    const found: Difference[] = [];
    const receiptsAgree =
      receipts.notRecorded.length +
        receipts.duplicated.length +
        receipts.orphans.length +
        receipts.lineDifferences.length ===
      0;
    if (receiptsAgree) {
      const received = receivedByLine(financeReceipts);
      for (const [line, row] of [...fieldService.lines].sort(([a], [b]) => a - b)) {
        const quantity = Math.round((received.get(line) ?? 0) * 1000) / 1000;
        if (Math.abs(Number(row.msdyn_qtyreceived ?? 0) - quantity) >= 0.0005)
          found.push({
            owner: 'finance',
            line,
            field: 'msdyn_qtyreceived',
            fieldService: row.msdyn_qtyreceived ?? null,
            finance: quantity,
            source: { field: 'received', value: quantity },
          });
      }
    }
    if (!differences.some((difference) => difference.line !== undefined)) {
      const total = Math.round(orderLines.reduce((sum, line) => sum + (line.LineAmount ?? 0), 0) * 100) / 100;
      const shown = fieldService.header.msdyn_totalamount;
      if (Math.abs(Number(shown ?? 0) - total) >= 0.005)
        found.push({
          owner: 'finance',
          field: 'msdyn_totalamount',
          fieldService: shown ?? null,
          finance: total,
          source: { field: 'total of LineAmount', value: total },
        });
    }
    if (found.length === 0) return [];
    const number = this.#number;
    return [
      this.#drift(
        'totals differ',
        'purchase order',
        number,
        sidesOf(found),
        `Purchase order ${number} shows other totals in Field Service than F&O has: ${describeDifferences(found)}.`,
        personFix(
          `Correct purchase order ${number} in Field Service to F&O's figures; F&O's lines and product receipts are the record.`,
        ),
      ),
    ];
  }

  /**
   * Who repairs a difference. A running workflow repairs what it has not heard of yet (`notify`):
   * F&O's values in Field Service always (it writes each that differs); Field Service's values, the
   * order or a receipt only when it is behind (Field Service changed since F&O was last told, F&O
   * changed since the workflow last read it, a receipt it never recorded), else it has seen both sides
   * and a person decides. An ended workflow repairs nothing.
   */
  async #fix(cause: Cause): Promise<Fix> {
    const number = this.#number;
    const notify = repairFix({ action: 'notifyPurchaseOrder', purchaseOrderNumber: number });
    if (this.#workflow === 'completed') return personFix(this.#afterTheWorkflow(cause));
    if (cause === 'finance') return notify;
    const state = await (this.#state ??= this.#deps.stateOf(this.#facts.workflow!.workflowId));
    if (!state) return notify;
    const { order, snapshot } = this.#facts;
    const fieldServiceAhead = !sameOwned(snapshot.owned, state.synced);
    const financeAhead =
      order !== undefined &&
      !(Date.parse(String(order.ModifiedDateTime)) <= Date.parse(state.finance?.modifiedOn ?? ''));
    if (typeof cause === 'object')
      return state.recordedReceipts.includes(cause.receipt) ? personFix(this.#lostReceipt()) : notify;
    if (fieldServiceAhead || (cause === 'fieldService' && financeAhead)) return notify;
    return cause === 'order'
      ? personFix(
          `Procurement deleted F&O purchase order ${number}. If it is still wanted, change purchase order ${number} ` +
            `in Field Service and its workflow writes it to F&O again; if not, cancel it in Field Service and ` +
            `terminate workflow purchase-order-${number}.`,
        )
      : personFix(
          `Field Service and F&O disagree, and the workflow has read both: make them agree (Field Service's values ` +
            `go to F&O while F&O's approval is Draft; a line added in F&O must be added in Field Service or deleted ` +
            `in F&O), then run the command.`,
          `fsfo purchase-order notify ${number}`,
        );
  }

  #lostReceipt(): string {
    return (
      `Field Service lost a receipt the workflow of purchase order ${this.#number} recorded: restore it from ` +
      `Dataverse's audit history (the integration records each F&O product receipt once).`
    );
  }

  #afterTheWorkflow(cause: Cause): string {
    const number = this.#number;
    const ended = `the workflow of purchase order ${number} has ended (${this.#facts.workflow?.stage ?? 'Completed'})`;
    if (typeof cause === 'object') return this.#lostReceipt();
    if (cause === 'order') return `Find out in F&O what became of purchase order ${number}; ${ended}.`;
    return `Set purchase order ${number} in Field Service back to F&O's values, which are the record: ${ended}.`;
  }
}
