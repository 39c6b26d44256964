import { literal, propertyName, type ODataValue } from './literals';

/**
 * A `$filter` expression, built only from the functions below so that every value is a literal
 * and every name is checked. Only operators both services support: no `in`, no `has`.
 */
export class Filter {
  private constructor(readonly expression: string) {}

  /** For the builders below; elsewhere, build filters with them rather than from text. */
  static of(expression: string): Filter {
    return new Filter(expression);
  }
}

const comparison = (operator: string) => (name: string, value: ODataValue) =>
  Filter.of(`${propertyName(name)} ${operator} ${literal(value)}`);

export const eq = comparison('eq');
export const ne = comparison('ne');
export const gt = comparison('gt');
export const ge = comparison('ge');
export const lt = comparison('lt');
export const le = comparison('le');

const junction =
  (operator: 'and' | 'or') =>
  (first: Filter, ...rest: Filter[]) =>
    rest.length === 0
      ? first
      : Filter.of([first, ...rest].map((f) => `(${f.expression})`).join(` ${operator} `));

export const and = junction('and');
export const or = junction('or');
export const not = (filter: Filter) => Filter.of(`not (${filter.expression})`);
