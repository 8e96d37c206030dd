import type { PlannedAction } from '../actions/types';
import type { Store } from '../store/database';
import type { CheckRow, Stage } from '../store/schema';
import type { NotFiredRule } from './rule-engine';
import type { FiredRule, HeldAction, StageTransition } from './types';

/** One check as recorded: the explanation of a decision. */
export interface CheckRecord {
  workflowId: string;
  /** The workflow's run chain; a workflow started again under the same id counts checks anew. */
  chainId?: string;
  checkNumber: number;
  accountId: string;
  checkedAt: number;
  stage: Stage;
  ruleSetVersion: string;
  fired: FiredRule[];
  notFired: NotFiredRule[];
  held: HeldAction[];
  planned: PlannedAction[];
  transition?: StageTransition;
}

/**
 * Stores one check row. A retried check activity writes the same key again,
 * and the last attempt wins, because its decision is the one the workflow
 * receives.
 */
export async function recordCheck(store: Store, check: CheckRecord): Promise<void> {
  const changes = {
    account_id: check.accountId,
    checked_at: check.checkedAt,
    stage: check.stage,
    rule_set_version: check.ruleSetVersion,
    fired: JSON.stringify(check.fired),
    not_fired: JSON.stringify(check.notFired),
    held: JSON.stringify(check.held),
    planned: JSON.stringify(check.planned),
    transition: check.transition ? JSON.stringify(check.transition) : null,
  };
  await store.db
    .insertInto('checks')
    .values({
      workflow_id: check.workflowId,
      chain_id: check.chainId ?? '',
      check_number: check.checkNumber,
      ...changes,
    })
    .onConflict((conflict) =>
      conflict.columns(['workflow_id', 'chain_id', 'check_number']).doUpdateSet(changes),
    )
    .execute();
}

/** Returns the latest checks of an account, newest first, with their JSON parsed. */
export async function listRecentChecks(
  store: Store,
  accountId: string,
  limit = 20,
): Promise<CheckRecord[]> {
  const rows = await store.db
    .selectFrom('checks')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('checked_at', 'desc')
    .orderBy('check_number', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

function toRecord(row: CheckRow): CheckRecord {
  const record: CheckRecord = {
    workflowId: row.workflow_id,
    ...(row.chain_id === '' ? {} : { chainId: row.chain_id }),
    checkNumber: row.check_number,
    accountId: row.account_id,
    checkedAt: row.checked_at,
    stage: row.stage,
    ruleSetVersion: row.rule_set_version,
    fired: JSON.parse(row.fired) as FiredRule[],
    notFired: JSON.parse(row.not_fired) as NotFiredRule[],
    held: JSON.parse(row.held) as HeldAction[],
    planned: JSON.parse(row.planned) as PlannedAction[],
  };
  if (row.transition) record.transition = JSON.parse(row.transition) as StageTransition;
  return record;
}
