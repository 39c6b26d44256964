import { Stage } from '../../../workflows/work-order/stages';
import { driftMaker, type MakeDrift } from '../document-drift';
import type { Drift, Fix } from '../drift';
import { notJudged } from '../in-flight';
import type { ReconcileScope } from '../join';
import type { Outcome } from '../document-pages';
import { personFix, repairFix } from '../repairs';
import { sidesOfDifferences } from '../value-differences';
import type { WorkflowRun } from '../workflow-visibility';
import { describeDifferences, orderDifferences } from './compare';
import { workOrderInFlight } from './in-flight';
import type { WorkOrderFacts } from './work-order-page';

export const JOIN_NAME = 'work orders';

const money = (value: number | undefined) => (value ?? 0).toFixed(2);

/**
 * Judges a work order against its F&O sales order, the order's invoices, the Field Service invoices of
 * those and its workflow. The rule for work in flight: a work order whose workflow is reading or writing
 * or that changed within the in-flight window is counted, not judged.
 */
export function evaluateWorkOrder(facts: WorkOrderFacts, scope: ReconcileScope): Outcome {
  if (facts.duplicate) return { kind: 'judged', drifts: [duplicateWorkOrder(facts)] };
  return (
    notJudged(workOrderInFlight, facts.workflow, [facts.modifiedOn], scope.now) ?? {
      kind: 'judged',
      drifts: new WorkOrderJudgement(facts, scope).drifts(),
    }
  );
}

function duplicateWorkOrder(facts: WorkOrderFacts): Drift {
  return driftMaker(JOIN_NAME, facts.workflow)(
    'duplicated',
    'work order',
    facts.number,
    { fieldService: { workOrder: facts.number }, finance: null },
    `More than one work order in Field Service is numbered ${facts.number}; the integration keeps one sales order per work order number.`,
    personFix(`Give each of these work orders its own number in Field Service.`),
  );
}

class WorkOrderJudgement {
  readonly #facts: WorkOrderFacts;
  readonly #scope: ReconcileScope;
  readonly #drift: MakeDrift;

  constructor(facts: WorkOrderFacts, scope: ReconcileScope) {
    this.#facts = facts;
    this.#scope = scope;
    this.#drift = driftMaker(JOIN_NAME, facts.workflow);
  }

  get #running(): WorkflowRun | undefined {
    return this.#facts.workflow?.running ? this.#facts.workflow : undefined;
  }

  drifts(): Drift[] {
    const facts = this.#facts;
    const { order } = facts;
    // An order without the origin the integration writes was not written by it (a project that maps no
    // origin cannot tell, and then trusts the number).
    if (order && facts.origin !== undefined && order.SalesOrderOriginType !== facts.origin) {
      return [this.#foreignOrder()];
    }
    if (facts.mappingProblem !== undefined) return [this.#unmappable()];
    if (facts.canceled) return [...this.#canceledOrder(), ...this.#invoices()];
    if (!order) return this.#noOrder();
    return [...this.#order(), ...this.#invoices()];
  }

  #foreignOrder(): Drift {
    const { number, salesOrderNumber, order } = this.#facts;
    return this.#drift(
      'foreign order',
      'F&O sales order',
      salesOrderNumber,
      {
        fieldService: { workOrder: number },
        finance: {
          SalesOrderNumber: salesOrderNumber,
          SalesOrderOriginType: order?.SalesOrderOriginType ?? null,
        },
      },
      `F&O sales order ${salesOrderNumber} has the number of work order ${number} but was not created by this ` +
        `integration (origin ${order?.SalesOrderOriginType || 'not specified'}); the integration will not change it.`,
      personFix(
        `Work order and sales order numbers overlap: renumber F&O sales order ${salesOrderNumber} or work order ` +
          `${number}, and keep the two number sequences apart.`,
      ),
    );
  }

  #unmappable(): Drift {
    const { number, mappingProblem } = this.#facts;
    return this.#drift(
      'needs attention',
      'work order',
      number,
      { fieldService: { workOrder: number }, finance: null },
      `Work order ${number} cannot be mapped to a sales order: ${mappingProblem}.`,
      personFix(
        `Fix work order ${number} in Field Service, then run the command.`,
        this.#running ? `fsfo work-order retry ${number}` : `fsfo work-order start ${number}`,
      ),
    );
  }

  /** Cancelled in Field Service: the F&O order, if any, must say ClosedCanceled (its workflow marks it). */
  #canceledOrder(): Drift[] {
    const { number, salesOrderNumber, order, financeInvoices } = this.#facts;
    if (!order || financeInvoices.length > 0 || order.ExternalWorkOrderStatus === 'ClosedCanceled') return [];
    const running = this.#running;
    return [
      this.#drift(
        'header differs',
        'F&O sales order',
        salesOrderNumber,
        {
          fieldService: { workOrder: number, status: 'Closed-Canceled' },
          finance: { ExternalWorkOrderStatus: order.ExternalWorkOrderStatus ?? null },
        },
        `Work order ${number} was cancelled in Field Service, but F&O sales order ${salesOrderNumber} still shows ` +
          `external work order status ${order.ExternalWorkOrderStatus ?? '(none)'}.`,
        running
          ? repairFix({ action: 'notifyWorkOrder', workOrderNumber: number })
          : personFix(
              `No workflow looks after work order ${number}: set ExternalWorkOrderStatus of F&O sales order ` +
                `${salesOrderNumber} to ClosedCanceled, or cancel the order, in F&O.`,
            ),
      ),
    ];
  }

  #noOrder(): Drift[] {
    const { number, salesOrderNumber, workflow } = this.#facts;
    const running = this.#running;
    const sides = { fieldService: { workOrder: number }, finance: null };
    if (!running) return [this.#withoutWorkflow('F&O has no sales order of it')];
    const missing = (fix: Fix) =>
      this.#drift(
        'missing',
        'F&O sales order',
        salesOrderNumber,
        sides,
        `F&O has no sales order ${salesOrderNumber} of work order ${number}, whose workflow is ${running.stage}.`,
        fix,
      );
    switch (workflow?.stage) {
      case Stage.AwaitingApproval:
        return [missing(repairFix({ action: 'resyncWorkOrder', workOrderNumber: number }))];
      case Stage.Rejected:
        return [
          missing(
            personFix(
              `Work order ${number} was rejected: its workflow writes the order again when the technician ` +
                'changes the work order in Field Service.',
            ),
          ),
        ];
      default:
        return [
          missing(
            personFix(
              `The order was deleted in F&O after invoicing was approved: create sales order ${salesOrderNumber} ` +
                `again in F&O as work order ${number} says, or invoice the work in F&O by hand.`,
            ),
          ),
        ];
    }
  }

  #order(): Drift[] {
    const { number, salesOrderNumber, order, orderLines, expected, financeInvoices } = this.#facts;
    const differences = expected && order ? orderDifferences(expected, order, orderLines) : [];
    const running = this.#running;
    if (!running && financeInvoices.length === 0) {
      const what =
        differences.length > 0 ? `its F&O sales order differs (${describeDifferences(differences)})` : '';
      return [this.#withoutWorkflow(what, sidesOfDifferences(differences))];
    }
    if (differences.length === 0) return [];
    const driftClass = differences.some((d) => d.line === undefined) ? 'header differs' : 'lines differ';
    return [
      this.#drift(
        driftClass,
        'F&O sales order',
        salesOrderNumber,
        sidesOfDifferences(differences),
        `F&O sales order ${salesOrderNumber} differs from work order ${number}: ${describeDifferences(differences)}.`,
        this.#orderFix(),
      ),
    ];
  }

  #orderFix(): Fix {
    const { number, salesOrderNumber, financeInvoices } = this.#facts;
    if (financeInvoices.length > 0) {
      return personFix(
        `F&O has invoiced sales order ${salesOrderNumber}: credit the invoice in F&O and invoice the right ` +
          `values, or correct work order ${number} in Field Service if the invoice is right.`,
      );
    }
    switch (this.#running?.stage) {
      case Stage.AwaitingApproval:
        return repairFix({ action: 'resyncWorkOrder', workOrderNumber: number });
      case Stage.Rejected:
        return personFix(
          `Work order ${number} was rejected: its workflow writes the order again when the technician changes ` +
            'the work order in Field Service.',
        );
      default:
        return personFix(
          `Invoicing of work order ${number} was approved with the values shown as Field Service's: set F&O ` +
            `sales order ${salesOrderNumber} back to them before F&O invoices it.`,
        );
    }
  }

  /** A work order that syncs and is not finished, with no running workflow to look after it. */
  #withoutWorkflow(what: string, differing = sidesOfDifferences([])): Drift {
    const { number, salesOrderNumber, order, workflow } = this.#facts;
    const ended = workflow?.status === 'Completed';
    return this.#drift(
      'orphan',
      'work order',
      number,
      {
        fieldService: { workOrder: number, ...differing.fieldService },
        finance: order ? { SalesOrderNumber: salesOrderNumber, ...differing.finance } : null,
      },
      `Work order ${number} syncs, but no workflow looks after it` +
        (ended ? ` (its workflow ended ${workflow.stage ?? 'Completed'})` : '') +
        (what ? `, and ${what}.` : '.'),
      ended
        ? personFix(
            `Work order ${number} was reopened after its workflow ended, and the integration never starts a work ` +
              'order twice: cancel it in Field Service and create a new work order for the remaining work.',
          )
        : repairFix({ action: 'startWorkOrder', workOrderNumber: number }),
    );
  }

  /** The F&O invoice of the order, recorded once in Field Service with its amount, and named on the work order. */
  #invoices(): Drift[] {
    const facts = this.#facts;
    const { number, salesOrderNumber, financeInvoices, fieldServiceInvoices } = facts;
    if (financeInvoices.length > 1) {
      const numbers = financeInvoices.map((invoice) => invoice.InvoiceNumber);
      return [
        this.#drift(
          'duplicated',
          'F&O sales invoice',
          salesOrderNumber,
          { fieldService: { workOrder: number }, finance: { invoices: numbers } },
          `F&O posted ${numbers.length} invoices of sales order ${salesOrderNumber} (${numbers.join(', ')}); the ` +
            'integration records one invoice per work order.',
          personFix(
            `Credit the invoices of sales order ${salesOrderNumber} in F&O that bill the work a second time.`,
          ),
        ),
      ];
    }
    const [invoice] = financeInvoices;
    if (!invoice) return facts.invoiceNumber ? [this.#namedInvoiceMissing(facts.invoiceNumber)] : [];
    const recorded = fieldServiceInvoices.get(invoice.InvoiceNumber.toLowerCase()) ?? [];
    const financeSide = {
      InvoiceNumber: invoice.InvoiceNumber,
      TotalInvoiceAmount: invoice.TotalInvoiceAmount,
      CurrencyCode: invoice.CurrencyCode,
    };
    if (recorded.length === 0) {
      return [
        this.#drift(
          'not recorded',
          'F&O sales invoice',
          invoice.InvoiceNumber,
          {
            fieldService: { workOrder: number, invoiceNumber: facts.invoiceNumber ?? null },
            finance: financeSide,
          },
          `F&O posted invoice ${invoice.InvoiceNumber} of sales order ${salesOrderNumber} ` +
            `(${money(invoice.TotalInvoiceAmount)} ${invoice.CurrencyCode}), but Field Service has no invoice of that number.`,
          this.#recordFix(invoice.InvoiceNumber),
        ),
      ];
    }
    if (recorded.length > 1) {
      return [
        this.#drift(
          'duplicated',
          'Field Service invoice',
          invoice.InvoiceNumber,
          { fieldService: { invoices: recorded.map((row) => row.invoiceid) }, finance: financeSide },
          `Field Service has ${recorded.length} invoices numbered ${invoice.InvoiceNumber}; F&O posted one.`,
          personFix(`Delete all but one of the Field Service invoices numbered ${invoice.InvoiceNumber}.`),
        ),
      ];
    }
    const drifts: Drift[] = [];
    const total = recorded[0]!.totalamount ?? 0;
    if (Math.abs(total - invoice.TotalInvoiceAmount) >= 0.005) {
      drifts.push(
        this.#drift(
          'totals differ',
          'Field Service invoice',
          invoice.InvoiceNumber,
          {
            fieldService: { invoiceNumber: invoice.InvoiceNumber, totalamount: total },
            finance: financeSide,
          },
          `Field Service invoice ${invoice.InvoiceNumber} shows ${money(total)}, F&O posted ` +
            `${money(invoice.TotalInvoiceAmount)} ${invoice.CurrencyCode}.`,
          personFix(
            `Correct Field Service invoice ${invoice.InvoiceNumber} to F&O's amount; F&O's posted invoice is the record.`,
          ),
        ),
      );
    }
    if (facts.invoiceNumber?.toLowerCase() !== invoice.InvoiceNumber.toLowerCase()) {
      drifts.push(
        this.#drift(
          'not recorded',
          'work order',
          number,
          {
            fieldService: { workOrder: number, invoiceNumber: facts.invoiceNumber ?? null },
            finance: financeSide,
          },
          `Work order ${number} does not name its invoice ${invoice.InvoiceNumber}` +
            (facts.invoiceNumber ? ` (it names ${facts.invoiceNumber}).` : '.'),
          this.#recordFix(invoice.InvoiceNumber),
        ),
      );
    }
    return drifts;
  }

  /** Who records a posted invoice: the waiting workflow, once told; the recording workflow when none runs. */
  #recordFix(invoiceNumber: string): Fix {
    const { number, salesOrderNumber } = this.#facts;
    const running = this.#running;
    if (!running) {
      return repairFix({
        action: 'recordWorkOrderInvoice',
        workOrderNumber: number,
        salesOrderNumber,
        legalEntity: this.#scope.legalEntity,
      });
    }
    if (running.stage === Stage.AwaitingInvoice) {
      return repairFix({
        action: 'signalInvoicePosted',
        workOrderNumber: number,
        invoiceNumber,
        legalEntity: this.#scope.legalEntity,
      });
    }
    return personFix(
      `F&O invoiced sales order ${salesOrderNumber} before invoicing of work order ${number} was approved ` +
        `(its workflow is ${running.stage}): approve it (fsfo work-order approve ${number}) so its workflow records ` +
        'the invoice, or credit the invoice in F&O.',
    );
  }

  #namedInvoiceMissing(invoiceNumber: string): Drift {
    const { number, salesOrderNumber } = this.#facts;
    return this.#drift(
      'missing',
      'F&O sales invoice',
      invoiceNumber,
      { fieldService: { workOrder: number, invoiceNumber }, finance: null },
      `Work order ${number} names invoice ${invoiceNumber}, but F&O has no posted invoice of sales order ${salesOrderNumber}.`,
      personFix(
        `Find invoice ${invoiceNumber} in F&O; if the work order names the wrong invoice, correct its invoice number in Field Service.`,
      ),
    );
  }
}
