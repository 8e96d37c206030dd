import { ApplicationFailure } from '@temporalio/common';
import { closeClearedTasks } from '../src/delivery/tasks';
import { decide } from '../src/lifecycle/decide';
import { buildDecisionContext } from '../src/lifecycle/check-context';
import { recordCheck } from '../src/lifecycle/check-store';
import type { RuleEngine, RuleSetError } from '../src/lifecycle/rule-engine';
import type { Decision, DecisionPolicy, LifecycleState } from '../src/lifecycle/types';
import type { Logger } from '../src/logger';
import { accountStart } from '../src/signals/account-start';
import type { AccountFacts } from '../src/signals/catalog';
import { computeSignalsWithUsage, type SignalOptions } from '../src/signals/compute';
import { loadAccountHistory, type AccountHistory } from '../src/signals/history';
import { summarizeUsage } from '../src/signals/usage';
import { toEpochDay } from '../src/store/time';
import type { Store } from '../src/store/database';
import { historyAsOf } from '../src/signals/history-as-of';

/** Input of one account check. `asOf` is workflow time, so a retried check uses the same instant. */
export interface CheckAccountInput {
  accountId: string;
  asOf: number;
  workflowId: string;
  checkNumber: number;
  /** The workflow's lifecycle state before this check. */
  state: LifecycleState;
}

/** Result of one check: the decision to apply and the rule-set version it was made with. */
export interface CheckAccountResult {
  ruleSetVersion: string;
  firedRuleIds: string[];
  decision: Decision;
}

/** Dependencies of the check activity. */
export interface CheckDependencies {
  store: Store;
  rules: RuleEngine;
  logger: Logger;
  signalOptions?: SignalOptions;
  policy?: Partial<DecisionPolicy>;
}

/**
 * Creates the check activity. It runs the decision core here rather than in
 * the workflow, so that a change to the decision code or the rules never
 * makes a running workflow's replay diverge: the decision is in the history.
 */
export function createCheckActivities(deps: CheckDependencies) {
  return {
    /** Computes signals as of `asOf`, evaluates the rule set in force, decides and records the check. */
    async checkAccount(input: CheckAccountInput): Promise<CheckAccountResult> {
      const logger = deps.logger.child({
        accountId: input.accountId,
        workflowId: input.workflowId,
        checkNumber: input.checkNumber,
      });
      const history = await loadAccountHistory(deps.store, input.accountId);
      if (!history) {
        throw ApplicationFailure.create({
          type: 'AccountNotFound',
          message: `account ${input.accountId} not found in the store; import it or send it to the API`,
          nonRetryable: true,
        });
      }

      const ruleSet = currentRuleSet(deps.rules);
      const facts = liveFacts(history, input, deps.signalOptions, logger);
      const outcome = deps.rules.evaluate(facts, input.state.stage, ruleSet.ruleSet, input.asOf);
      // Contract outcomes dated after the check stay hidden, as they would have been live.
      const visible = historyAsOf(history, input.asOf);
      const context = { ...buildDecisionContext(input, visible, facts), policy: deps.policy };
      const evaluation = { ruleSetVersion: ruleSet.version, fired: outcome.fired };
      const decision = decide(input.state, evaluation, context, input.asOf);

      await recordCheck(deps.store, {
        workflowId: input.workflowId,
        ...(input.state.chainId === undefined ? {} : { chainId: input.state.chainId }),
        checkNumber: input.checkNumber,
        accountId: input.accountId,
        checkedAt: input.asOf,
        stage: input.state.stage,
        ruleSetVersion: ruleSet.version,
        fired: outcome.fired,
        notFired: outcome.notFired,
        held: decision.held,
        planned: decision.planned,
        ...(decision.transition ? { transition: decision.transition } : {}),
      });
      if (decision.transition)
        await storeStage(deps.store, input.accountId, decision.state.stage, input.asOf);
      const closedTaskIds = await closeClearedTasks(deps.store, {
        accountId: input.accountId,
        firedRuleIds: outcome.fired.map((rule) => rule.id),
        at: input.asOf,
      });
      if (closedTaskIds.length > 0)
        logger.info({ taskIds: closedTaskIds }, 'tasks closed: their rules no longer fire');

      logger.info(
        {
          ruleSetVersion: ruleSet.version,
          fired: outcome.fired.length,
          planned: decision.planned.length,
          held: decision.held.length,
        },
        'account checked',
      );
      return {
        ruleSetVersion: ruleSet.version,
        firedRuleIds: outcome.fired.map((rule) => rule.id),
        decision,
      };
    },
  };
}

function currentRuleSet(rules: RuleEngine): { version: string; ruleSet: unknown } {
  const current = rules.current();
  if (current.ok) return current;
  throw ApplicationFailure.create({
    type: 'InvalidRuleSet',
    message: `rule set is invalid: ${current.errors.map(describeError).join('; ')}; fix the file and the next check uses it`,
    nonRetryable: true,
    details: [current.errors],
  });
}

function describeError(error: RuleSetError): string {
  return `${error.file} at ${error.jsonPath}: ${error.message}`;
}

/** Keeps the account's stored stage current, because signals and the API read it from there. */
async function storeStage(
  store: Store,
  accountId: string,
  stage: string,
  at: number,
): Promise<void> {
  await store.db
    .updateTable('accounts')
    .set({ stage: stage as LifecycleState['stage'], updated_at: at })
    .where('id', '=', accountId)
    .execute();
}

/**
 * Computes the facts of a live check. The stage is the workflow's own, so the
 * replay that derives it from history is skipped. A check on a day before the
 * account's stored creation (a createdAt sent ahead of time) reads the facts as
 * of that creation instead of failing the check.
 */
function liveFacts(
  history: AccountHistory,
  input: CheckAccountInput,
  options: SignalOptions | undefined,
  logger: Logger,
): AccountFacts {
  const start = accountStart(history);
  let asOf = input.asOf;
  if (toEpochDay(asOf) < toEpochDay(start)) {
    logger.warn(
      { createdAt: new Date(start).toISOString() },
      'account checked before its stored creation; facts are read as of the creation',
    );
    asOf = start;
  }
  const usage = summarizeUsage(history.usageDaily, toEpochDay(asOf));
  return computeSignalsWithUsage(history, asOf, usage, options, () => input.state.stage);
}
