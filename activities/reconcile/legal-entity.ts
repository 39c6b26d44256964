import type { FinanceClient } from '../../connectors';
import { legalEntities } from '../../connectors/entities/finance';

/** The legal entities (`dataAreaId`, lower case) F&O has. */
export async function financeLegalEntities(finance: FinanceClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const entity of finance.queryAllCompanies(legalEntities, { select: ['LegalEntityId'] })) {
    ids.push(entity.LegalEntityId.toLowerCase());
  }
  return ids;
}

/** Why `legalEntity` cannot be reconciled, or undefined when F&O has it. */
export async function unknownLegalEntity(
  finance: FinanceClient,
  legalEntity: string,
): Promise<string | undefined> {
  const known = await financeLegalEntities(finance);
  return known.includes(legalEntity.toLowerCase())
    ? undefined
    : `F&O has no legal entity "${legalEntity}" (it has ${known.join(', ') || 'none'})`;
}
