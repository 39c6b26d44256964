import { driftMaker, type MakeDrift } from '../document-drift';
import type { Drift, Fix } from '../drift';
import { notJudged } from '../in-flight';
import type { ReconcileScope } from '../join';
import type { Outcome } from '../document-pages';
import { personFix, repairFix } from '../repairs';
import { describeValueDifferences, sidesOfDifferences, type ValueDifference } from '../value-differences';
import { freeTextInvoiceDifferences, isHeaderDifference } from './compare';
import { agreementInvoiceInFlight } from './in-flight';
import type { AgreementInvoiceFacts } from './invoice-page';

export const JOIN_NAME = 'agreement invoices';

/**
 * Judges a Field Service agreement invoice against its F&O free text invoice, the posting and the F&O
 * number recorded on the invoice, and its workflow. An invoice whose workflow is reading or writing, or
 * that changed within the in-flight window, is counted, not judged.
 */
export function evaluateAgreementInvoice(facts: AgreementInvoiceFacts, scope: ReconcileScope): Outcome {
  if (facts.duplicate) return { kind: 'judged', drifts: [new Judgement(facts).duplicate()] };
  return (
    notJudged(agreementInvoiceInFlight, facts.workflow, [facts.modifiedOn], scope.now) ?? {
      kind: 'judged',
      drifts: new Judgement(facts).drifts(),
    }
  );
}

class Judgement {
  readonly #facts: AgreementInvoiceFacts;
  readonly #drift: MakeDrift;

  constructor(facts: AgreementInvoiceFacts) {
    this.#facts = facts;
    this.#drift = driftMaker(JOIN_NAME, facts.workflow);
  }

  get #running(): boolean {
    return this.#facts.workflow?.running === true;
  }

  get #completed(): boolean {
    return this.#facts.workflow?.status === 'Completed';
  }

  duplicate(): Drift {
    const { number } = this.#facts;
    return this.#ofInvoice(
      'duplicated',
      `More than one invoice in Field Service is numbered ${number}; the integration keeps one free text invoice per invoice number.`,
      personFix('Give each of these invoices its own number in Field Service.'),
    );
  }

  /** A drift of the Field Service invoice itself, before anything of F&O's is compared. */
  #ofInvoice(driftClass: 'duplicated' | 'needs attention', message: string, fix: Fix): Drift {
    const { number } = this.#facts;
    const sides = { fieldService: { invoiceNumber: number }, finance: null };
    return this.#drift(driftClass, 'agreement invoice', number, sides, message, fix);
  }

  drifts(): Drift[] {
    const facts = this.#facts;
    if (facts.problem !== undefined) return [this.#unmappable(facts.problem)];
    const { freeText } = facts;
    if (!freeText) return [this.#noFreeTextInvoice()];
    const differences = facts.expected
      ? freeTextInvoiceDifferences(facts.expected, freeText, facts.freeTextLines)
      : [];
    const postedAs = freeText.IsPosted === 'Yes' ? freeText.InvoiceNumber : undefined;
    const recorded = postedAs !== undefined && facts.recordedAs?.toLowerCase() === postedAs.toLowerCase();
    // No workflow ever finished this invoice: starting one writes the free text invoice as Field Service
    // says, or records the posting F&O has made.
    if (!this.#running && !this.#completed && !recorded) return [this.#withoutWorkflow(differences)];
    const drifts: Drift[] = [];
    if (differences.length > 0) drifts.push(this.#differs(differences, postedAs));
    if (postedAs !== undefined && !recorded) drifts.push(this.#notRecorded(postedAs));
    return drifts;
  }

  #unmappable(problem: string): Drift {
    const { number } = this.#facts;
    return this.#ofInvoice(
      'needs attention',
      `Invoice ${number} cannot become a free text invoice: ${problem}.`,
      personFix(
        `Fix invoice ${number} in Field Service; the agreement invoice sync then tells its workflow.`,
        this.#completed ? undefined : `fsfo agreement-invoice start ${number}`,
      ),
    );
  }

  #noFreeTextInvoice(): Drift {
    const { number, externalInvoiceId, recordedAs, workflow } = this.#facts;
    const sides = {
      fieldService: { invoiceNumber: number, freeTextInvoiceNumber: recordedAs ?? null },
      finance: null,
    };
    if (!this.#running && !this.#completed && recordedAs === undefined) {
      return this.#drift(
        'orphan',
        'agreement invoice',
        number,
        sides,
        `Invoice ${number} is an agreement invoice, but no workflow looks after it` +
          (workflow ? ` (its workflow ended ${workflow.status})` : '') +
          ', and F&O has no free text invoice of it.',
        repairFix({ action: 'startAgreementInvoice', invoiceNumber: number }),
      );
    }
    const message =
      `F&O has no free text invoice ${externalInvoiceId} of invoice ${number}` +
      (recordedAs ? `, which Field Service records as posted as ${recordedAs}` : '') +
      (this.#running ? `; its workflow is ${workflow?.stage ?? 'running'}.` : '.');
    return this.#drift(
      'missing',
      'F&O free text invoice',
      externalInvoiceId,
      sides,
      message,
      this.#running
        ? personFix(
            `The free text invoice was deleted in F&O before it was posted: change invoice ${number} in Field Service, ` +
              'and its workflow writes the free text invoice again.',
          )
        : personFix(
            `Find free text invoice ${externalInvoiceId}${recordedAs ? ` (${recordedAs})` : ''} in F&O; if it was ` +
              `never posted, clear the F&O free text invoice number of invoice ${number} in Field Service and run the command.`,
            `fsfo agreement-invoice start ${number}`,
          ),
    );
  }

  #withoutWorkflow(differences: readonly ValueDifference[]): Drift {
    const { number, externalInvoiceId, freeText, workflow } = this.#facts;
    const differing = sidesOfDifferences(differences);
    return this.#drift(
      'orphan',
      'agreement invoice',
      number,
      {
        fieldService: { invoiceNumber: number, ...differing.fieldService },
        finance: {
          ExternalInvoiceId: externalInvoiceId,
          IsPosted: freeText?.IsPosted ?? null,
          ...differing.finance,
        },
      },
      `Invoice ${number} is an agreement invoice, but no workflow looks after it` +
        (workflow ? ` (its workflow ended ${workflow.status})` : '') +
        (freeText?.IsPosted === 'Yes'
          ? `, and F&O posted its free text invoice as ${freeText.InvoiceNumber}, which Field Service does not record`
          : '') +
        (differences.length > 0
          ? `; its free text invoice differs (${describeValueDifferences(differences)})`
          : '') +
        '.',
      repairFix({ action: 'startAgreementInvoice', invoiceNumber: number }),
    );
  }

  #differs(differences: readonly ValueDifference[], postedAs: string | undefined): Drift {
    const { number, externalInvoiceId } = this.#facts;
    const driftClass = differences.some(isHeaderDifference) ? 'header differs' : 'lines differ';
    return this.#drift(
      driftClass,
      'F&O free text invoice',
      externalInvoiceId,
      sidesOfDifferences(differences),
      `F&O free text invoice ${externalInvoiceId}${postedAs ? ` (posted as ${postedAs})` : ''} differs from invoice ` +
        `${number}: ${describeValueDifferences(differences)}.`,
      postedAs
        ? personFix(
            `F&O posted ${postedAs} with other values than invoice ${number} has now: undo the change in Field ` +
              `Service, or credit ${postedAs} in F&O and invoice the right values.`,
          )
        : personFix(
            `Set free text invoice ${externalInvoiceId} back to Field Service's values in F&O before it is posted, or ` +
              `change invoice ${number} in Field Service: its workflow then writes the free text invoice again.`,
          ),
    );
  }

  #notRecorded(postedAs: string): Drift {
    const { number, externalInvoiceId, recordedAs } = this.#facts;
    return this.#drift(
      'not recorded',
      'F&O free text invoice',
      postedAs,
      {
        fieldService: { invoiceNumber: number, freeTextInvoiceNumber: recordedAs ?? null },
        finance: { ExternalInvoiceId: externalInvoiceId, IsPosted: 'Yes', InvoiceNumber: postedAs },
      },
      `F&O posted free text invoice ${externalInvoiceId} as ${postedAs}, but Field Service invoice ${number} ` +
        (recordedAs ? `records ${recordedAs}.` : 'does not record it.'),
      this.#running
        ? repairFix({ action: 'signalFreeTextInvoicePosted', invoiceNumber: number })
        : personFix(
            `The workflow of invoice ${number} recorded the posting and ended: set its F&O free text invoice ` +
              `number back to ${postedAs} in Field Service.`,
          ),
    );
  }
}
