/** The legal entities (dataAreaId) of the sandboxed F&O environment. */
export const financeCompanies = ['usmf', 'usrt', 'demf'] as const;

const companyNames: Record<(typeof financeCompanies)[number], string> = {
  usmf: 'Contoso Entertainment System USA',
  usrt: 'Contoso Retail USA',
  demf: 'Contoso Entertainment System Germany',
};

/** The `LegalEntities` rows: the environment's companies, set up with it rather than stored as data. */
export const legalEntityRows = financeCompanies.map((company, index) => ({
  LegalEntityId: company.toUpperCase(),
  Name: companyNames[company],
  RecId: 5_637_144_576 + index,
  RecVersion: 1,
}));

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
