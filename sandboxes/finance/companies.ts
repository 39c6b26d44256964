/** The legal entities (dataAreaId) of the sandboxed F&O environment. */
export const financeCompanies = ['usmf', 'usrt', 'demf'] as const;

/** The currencies the sandboxed F&O environment knows (ISO codes); a document in any other is refused. */
export const financeCurrencies: ReadonlySet<string> = new Set([
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'DKK',
  'MXN',
  'JPY',
]);
