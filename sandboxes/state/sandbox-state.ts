import { randomBytes } from 'node:crypto';
import { emptyDataverseState, type DataverseState } from '../dataverse/dataverse-state';
import { emptyFinanceState, type FinanceState } from '../finance/finance-state';

export interface SandboxState {
  /** Signs access tokens; kept with the data so that tokens survive a restart. */
  signingKey: string;
  dataverse: DataverseState;
  finance: FinanceState;
}

export function emptySandboxState(): SandboxState {
  return {
    signingKey: randomBytes(32).toString('base64'),
    dataverse: emptyDataverseState(),
    finance: emptyFinanceState(),
  };
}
