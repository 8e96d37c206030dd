import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CheckAccountResult, createCheckActivities } from '../activities/check';
import type { PlannedAction } from '../src/actions/types';
import type { DeliveryActivities } from '../src/lifecycle/delivery-port';
import {
  contractChangedSignal,
  ensureSignal,
  milestoneCompletedSignal,
  pauseSignal,
  recheckSignal,
  resumeSignal,
  stateQuery,
  type DecisionSummary,
  type LifecycleView,
} from './lifecycle-signals';
import {
  acceptSignal,
  applySignals,
  carryOver,
  isCheckDue,
  nextWakeAt,
  rememberDecision,
  startRun,
  takeDueActions,
  viewOf,
  type AccountLifecycleInput,
  type LifecycleRun,
} from './lifecycle-run';
import { parseSignal, type InboxSignal } from './signal-payloads';

export type { AccountLifecycleInput } from './lifecycle-run';

type CheckActivities = ReturnType<typeof createCheckActivities>;

// The timeout is short because an attempt on a dead worker is retried only after
// it. A check takes well under a second.
const { checkAccount } = proxyActivities<CheckActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5 },
});

// A delivery heartbeats every second, so the heartbeat timeout finds a dead worker.
// The start-to-close timeout is long because an email waits for the one send slot.
const delivery = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '5 seconds',
  // An action whose retries run out is dropped, so they span a long relay outage: about two
  // hours. A retry while another attempt owns the outbox row waits just past that lease.
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 30,
  },
});

/**
 * Follows one account through its lifecycle: sleeps until the next check or
 * held action, checks the account through one activity, delivers what the
 * decision planned, and continues as new at each term boundary or when the
 * SDK suggests it. Ends when the account churns.
 */
export async function accountLifecycle(input: AccountLifecycleInput): Promise<LifecycleView> {
  const run = startRun(input, workflowNow(), workflowInfo().firstExecutionRunId);
  registerHandlers(run);

  while (run.state.stage !== 'churned') {
    await waitForWork(run);
    applySignals(run);
    if (run.paused) continue;

    await deliverActions(run, takeDueActions(run, workflowNow()));
    if (isCheckDue(run, workflowNow())) await runCheck(run);
    if (shouldContinueAsNew(run)) await continueWithState(run);
  }

  log.info('account churned, lifecycle ended', { accountId: run.accountId });
  return viewOf(run);
}

/** Workflow time: the sandbox's Date is the deterministic workflow clock. */
function workflowNow(): number {
  return new Date().getTime();
}

function registerHandlers(run: LifecycleRun): void {
  // Handlers must not throw, because a throwing handler fails this and every later workflow task.
  const accept = (kind: InboxSignal, payload: unknown): void => {
    const parsed = parseSignal(kind, payload);
    if (!parsed.ok) {
      log.warn('invalid signal payload dropped', {
        accountId: run.accountId,
        signal: kind,
        expected: parsed.expected,
      });
      return;
    }
    if (!acceptSignal(run, parsed.entry)) {
      log.info('duplicate signal dropped', {
        accountId: run.accountId,
        signal: kind,
        signalId: parsed.entry.payload.id,
      });
    }
  };
  setHandler(contractChangedSignal, (payload: unknown) => accept('contractChanged', payload));
  setHandler(milestoneCompletedSignal, (payload: unknown) => accept('milestoneCompleted', payload));
  setHandler(recheckSignal, (payload: unknown) => accept('recheck', payload));
  setHandler(pauseSignal, (payload: unknown) => accept('pause', payload));
  setHandler(resumeSignal, (payload: unknown) => accept('resume', payload));
  setHandler(ensureSignal, () => undefined);
  setHandler(stateQuery, () => viewOf(run));
}

/** Sleeps until the next check or due action, waking early for any signal. */
async function waitForWork(run: LifecycleRun): Promise<void> {
  if (run.inbox.length > 0) return;
  const wakeAt = run.paused ? null : nextWakeAt(run);
  if (wakeAt === null) {
    await condition(() => run.inbox.length > 0);
    return;
  }
  const delay = wakeAt - workflowNow();
  if (delay > 0) await condition(() => run.inbox.length > 0, delay);
}

/** Runs one check and applies its decision; a failed check waits for the next cadence. */
async function runCheck(run: LifecycleRun): Promise<void> {
  const now = workflowNow();
  const checkNumber = run.state.checkNumber + 1;
  run.checkRequested = false;
  run.checksThisRun += 1;
  let result: CheckAccountResult;
  try {
    result = await checkAccount({
      accountId: run.accountId,
      asOf: now,
      workflowId: workflowInfo().workflowId,
      checkNumber,
      state: run.state,
    });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    recordFailedCheck(run, checkNumber, now, error);
    return;
  }
  applyCheck(run, result, checkNumber, now);
  await deliverActions(run, takeDueActions(run, workflowNow()));
}

function applyCheck(
  run: LifecycleRun,
  result: CheckAccountResult,
  checkNumber: number,
  now: number,
): void {
  const { decision } = result;
  const waits = waitsOf(decision.planned);
  run.state = decision.state;
  run.pending.push(...decision.planned);
  if (decision.transition?.to === 'renewed') run.termEnded = true;
  rememberDecision(run, {
    checkNumber,
    at: now,
    stage: decision.state.stage,
    ruleSetVersion: result.ruleSetVersion,
    firedRuleIds: result.firedRuleIds,
    plannedKeys: decision.planned.map((action) => action.idempotencyKey),
    held: decision.held,
    ...(waits.length > 0 ? { waits } : {}),
    ...(decision.transition ? { transition: decision.transition } : {}),
  });
  if (decision.transition) {
    log.info('stage changed', { accountId: run.accountId, ...decision.transition });
  }
}

/** Lists the planned actions that wait before delivery, with the reason, for the query. */
function waitsOf(planned: PlannedAction[]): NonNullable<DecisionSummary['waits']> {
  return planned.flatMap((action) =>
    action.wait === undefined
      ? []
      : [{ idempotencyKey: action.idempotencyKey, reason: action.wait }],
  );
}

function recordFailedCheck(
  run: LifecycleRun,
  checkNumber: number,
  now: number,
  error: ActivityFailure,
): void {
  const message = error.cause?.message ?? error.message;
  log.warn('account check failed', { accountId: run.accountId, checkNumber, error: message });
  // The cadence restarts from now, so a failing check does not loop without a timer.
  run.state = { ...run.state, lastCheckAt: now };
  rememberDecision(run, {
    checkNumber,
    at: now,
    stage: run.state.stage,
    ruleSetVersion: '',
    firedRuleIds: [],
    plannedKeys: [],
    held: [],
    error: message,
  });
}

/** Delivers actions in parallel, one activity each; a failed delivery is logged and dropped. */
async function deliverActions(run: LifecycleRun, actions: PlannedAction[]): Promise<void> {
  await Promise.all(actions.map((action) => deliverAction(run, action)));
}

async function deliverAction(run: LifecycleRun, action: PlannedAction): Promise<void> {
  try {
    const result = await deliverByType(action);
    log.info('action delivered', {
      accountId: run.accountId,
      idempotencyKey: action.idempotencyKey,
      status: result.status,
    });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('action delivery failed', {
      accountId: run.accountId,
      idempotencyKey: action.idempotencyKey,
      error: error.cause?.message ?? error.message,
    });
  }
}

function deliverByType(action: PlannedAction): Promise<{ status: string }> {
  switch (action.type) {
    case 'email':
      return delivery.deliverEmail(action);
    case 'notice':
      return delivery.deliverNotice(action);
    case 'task':
      return delivery.deliverTask(action);
    case 'webhook':
      return delivery.deliverWebhook(action);
    case 'stage':
      return Promise.resolve({ status: 'skipped' });
  }
}

function shouldContinueAsNew(run: LifecycleRun): boolean {
  if (run.termEnded || workflowInfo().continueAsNewSuggested) return true;
  return run.maxChecksPerRun !== undefined && run.checksThisRun >= run.maxChecksPerRun;
}

/** Waits for running handlers, then continues as new with the state and every unapplied signal. */
async function continueWithState(run: LifecycleRun): Promise<never> {
  await condition(allHandlersFinished);
  log.info('continuing as new', { accountId: run.accountId, termNumber: run.state.termNumber });
  return await continueAsNew<typeof accountLifecycle>(carryOver(run));
}
