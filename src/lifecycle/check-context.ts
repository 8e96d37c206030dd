import type { AccountFacts } from '../signals/catalog';
import type { AccountHistory } from '../signals/history';
import type { ContractSnapshot, DecisionContext, RecipientUser } from './types';

/** Identity of one check in its workflow. */
export interface CheckIdentity {
  accountId: string;
  workflowId: string;
  checkNumber: number;
}

/** Builds the decision context of one check from the account's stored history and facts. */
export function buildDecisionContext(
  identity: CheckIdentity,
  history: AccountHistory,
  facts: AccountFacts,
): DecisionContext {
  return {
    workflowId: identity.workflowId,
    checkNumber: identity.checkNumber,
    accountId: identity.accountId,
    accountTimezone: history.account.timezone,
    csmOwner: history.account.csm_owner,
    users: history.users.map(toRecipient),
    facts: {
      onboardingCompletion: facts.onboardingCompletion,
      daysToRenewal: facts.daysToRenewal,
      userCadence: facts.userCadence,
    },
    contract: latestContract(history),
  };
}

function toRecipient(user: AccountHistory['users'][number]): RecipientUser {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    timezone: user.timezone,
    subscribed: user.subscribed === 1,
  };
}

/** Returns the term with the highest number, because a renewal adds the next term as a new row. */
export function latestContract(history: AccountHistory): ContractSnapshot | null {
  let latest: AccountHistory['contracts'][number] | undefined;
  for (const contract of history.contracts) {
    if (!latest || contract.term_number > latest.term_number) latest = contract;
  }
  if (!latest) return null;
  return {
    termNumber: latest.term_number,
    startAt: latest.start_at,
    renewalAt: latest.renewal_at,
    status: latest.status,
    outcome: latest.outcome,
  };
}
