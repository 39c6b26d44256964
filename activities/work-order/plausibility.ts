import type { SalesOrderBounds } from '../../config/config';
import type { DestinationPayload } from '../../mappings/engine';
import { businessFailure } from '../business-failure';

const number = (value: unknown) => (typeof value === 'number' ? value : 0);

/** What F&O will make of a line: quantity × price − discount. */
export const lineAmountOf = (line: DestinationPayload): number =>
  number(line.values.OrderedSalesQuantity) * number(line.values.SalesPrice) -
  number(line.values.LineDiscountAmount);

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * Refuses a sales order no work order plausibly gives (a quantity or price typed with digits too many)
 * before F&O sees it: each crossed bound is named with its line, value, bound and the variable that sets it.
 */
export function checkPlausible(
  workOrderNumber: string,
  lines: readonly DestinationPayload[],
  bounds: SalesOrderBounds,
): void {
  const problems: string[] = [];
  let total = 0;
  for (const line of lines) {
    const lineNumber = String(line.key.LineCreationSequenceNumber);
    const quantity = number(line.values.OrderedSalesQuantity);
    const amount = lineAmountOf(line);
    total += amount;
    if (Math.abs(quantity) > bounds.maxLineQuantity) {
      problems.push(
        `line ${lineNumber} has a quantity of ${quantity}, above the bound of ${bounds.maxLineQuantity} ` +
          'per line (SALES_ORDER_MAX_LINE_QUANTITY)',
      );
    }
    if (Math.abs(amount) > bounds.maxLineAmount) {
      problems.push(
        `line ${lineNumber} amounts to ${round(amount)}, above the bound of ${bounds.maxLineAmount} ` +
          'per line (SALES_ORDER_MAX_LINE_AMOUNT)',
      );
    }
  }
  if (Math.abs(total) > bounds.maxOrderAmount) {
    problems.push(
      `the order amounts to ${round(total)}, above the bound of ${bounds.maxOrderAmount} ` +
        'per order (SALES_ORDER_MAX_ORDER_AMOUNT)',
    );
  }
  if (problems.length > 0) {
    throw businessFailure(
      `Work order ${workOrderNumber} is not a plausible sales order: ${problems.join('; ')}. ` +
        'Correct the work order in Field Service, or if the values are right raise the bound ' +
        '(an environment variable of the worker, read at its start), then retry',
      'ImplausibleSalesOrder',
    );
  }
}
