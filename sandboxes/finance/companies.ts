/** The legal entities (dataAreaId) of the sandboxed F&O environment. */
export const financeCompanies = ['usmf', 'usrt', 'demf'] as const;
