import type { PlannedAction } from '../src/actions/types';
import { nextCheckAt } from '../src/lifecycle/cadence';
import { initialState } from '../src/lifecycle/stages';
import type { DecisionPolicy, LifecycleState } from '../src/lifecycle/types';
import type {
  DecisionSummary,
  InboxEntry,
  LifecycleView,
  WaitingAction,
} from './lifecycle-signals';

/** Signal ids remembered for deduplication; older ids fall off first. */
const maxSeenSignalIds = 200;
/** Decisions kept for the `state` query. */
const maxRecentDecisions = 10;

/** Input of the account workflow; a continued run receives everything the last one carried. */
export interface AccountLifecycleInput {
  accountId: string;
  state?: LifecycleState;
  pending?: PlannedAction[];
  inbox?: InboxEntry[];
  seenSignalIds?: string[];
  recentDecisions?: DecisionSummary[];
  paused?: boolean;
  /** Cadence overrides; the check activity applies the caps and quiet hours of its own policy. */
  policy?: Partial<DecisionPolicy>;
  /** Continue as new after this many checks in one run, besides the SDK's suggestion. */
  maxChecksPerRun?: number;
}

/** The whole mutable state of one workflow run: a plain object, carried across continue-as-new. */
export interface LifecycleRun {
  accountId: string;
  state: LifecycleState;
  pending: PlannedAction[];
  inbox: InboxEntry[];
  seenSignalIds: string[];
  recentDecisions: DecisionSummary[];
  paused: boolean;
  checkRequested: boolean;
  checksThisRun: number;
  termEnded: boolean;
  policy: Partial<DecisionPolicy>;
  maxChecksPerRun: number | undefined;
}

/** Characters of the first run id kept as the chain id, 48 random bits in a UUID v4 or v7 (RFC 9562). */
const chainIdLength = 12;

/**
 * Builds the run from the workflow input, at workflow time `now`. The state
 * keeps the chain id it carries, so continue-as-new never changes it, and a
 * state without one takes the end of `firstExecutionRunId`.
 */
export function startRun(
  input: AccountLifecycleInput,
  now: number,
  firstExecutionRunId: string,
): LifecycleRun {
  const state = input.state ?? initialState(input.accountId, now);
  return {
    accountId: input.accountId,
    state:
      state.chainId === undefined ? { ...state, chainId: chainIdOf(firstExecutionRunId) } : state,
    pending: input.pending ?? [],
    inbox: input.inbox ?? [],
    seenSignalIds: input.seenSignalIds ?? [],
    recentDecisions: input.recentDecisions ?? [],
    paused: input.paused ?? false,
    checkRequested: false,
    checksThisRun: 0,
    termEnded: false,
    policy: input.policy ?? {},
    maxChecksPerRun: input.maxChecksPerRun,
  };
}

/** Returns the last characters of a run id, without dashes, as the id of its chain. */
export function chainIdOf(firstExecutionRunId: string): string {
  return firstExecutionRunId.replace(/-/g, '').slice(-chainIdLength);
}

/** Builds the input of the next run; unapplied signals travel with it, so none is lost. */
export function carryOver(run: LifecycleRun): AccountLifecycleInput {
  const input: AccountLifecycleInput = {
    accountId: run.accountId,
    state: run.state,
    pending: run.pending,
    inbox: run.checkRequested ? [...run.inbox, recheckEntry()] : run.inbox,
    seenSignalIds: run.seenSignalIds,
    recentDecisions: run.recentDecisions,
    paused: run.paused,
    policy: run.policy,
  };
  if (run.maxChecksPerRun !== undefined) input.maxChecksPerRun = run.maxChecksPerRun;
  return input;
}

function recheckEntry(): InboxEntry {
  return { kind: 'recheck', payload: { reason: 'carried over' } };
}

/** Queues a signal unless its id was seen before; returns whether it was queued. */
export function acceptSignal(run: LifecycleRun, entry: InboxEntry): boolean {
  const id = entry.payload.id;
  if (id !== undefined) {
    if (run.seenSignalIds.includes(id)) return false;
    run.seenSignalIds.push(id);
    if (run.seenSignalIds.length > maxSeenSignalIds) run.seenSignalIds.shift();
  }
  run.inbox.push(entry);
  return true;
}

/** Applies queued signals in arrival order. */
export function applySignals(run: LifecycleRun): void {
  const entries = run.inbox.splice(0);
  for (const entry of entries) {
    switch (entry.kind) {
      case 'pause':
        run.paused = true;
        break;
      case 'resume':
        run.paused = false;
        break;
      case 'contractChanged':
        applyContractChange(run, entry.payload.termNumber, entry.payload.renewalAt);
        run.checkRequested = true;
        break;
      case 'milestoneCompleted':
      case 'recheck':
        run.checkRequested = true;
        break;
    }
  }
}

/** Moves the renewal date at once, so the renewal-window timer moves before the next check. */
function applyContractChange(
  run: LifecycleRun,
  termNumber: number | undefined,
  renewalAt: number | undefined,
): void {
  if (renewalAt === undefined) return;
  if (termNumber !== undefined && termNumber !== run.state.termNumber) return;
  run.state = { ...run.state, renewalAt };
}

/** Returns the next instant the run has work: a check or a held action coming due. */
export function nextWakeAt(run: LifecycleRun): number | null {
  const check = nextCheckAt(run.state, run.policy);
  const due = run.pending.map((action) => action.notBefore);
  const candidates = check === null ? due : [check, ...due];
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/** Returns whether a check should run now. */
export function isCheckDue(run: LifecycleRun, now: number): boolean {
  if (run.checkRequested) return true;
  const check = nextCheckAt(run.state, run.policy);
  return check !== null && check <= now;
}

/** Removes and returns the held actions whose time has come. */
export function takeDueActions(run: LifecycleRun, now: number): PlannedAction[] {
  const due = run.pending.filter((action) => action.notBefore <= now);
  run.pending = run.pending.filter((action) => action.notBefore > now);
  return due;
}

/** Remembers a decision for the query, dropping the oldest beyond the limit. */
export function rememberDecision(run: LifecycleRun, summary: DecisionSummary): void {
  run.recentDecisions.push(summary);
  if (run.recentDecisions.length > maxRecentDecisions) run.recentDecisions.shift();
}

/** Builds the result of the `state` query. */
export function viewOf(run: LifecycleRun): LifecycleView {
  return {
    accountId: run.accountId,
    stage: run.state.stage,
    termNumber: run.state.termNumber,
    renewalAt: run.state.renewalAt,
    nextCheckAt: run.paused ? null : nextCheckAt(run.state, run.policy),
    paused: run.paused,
    pendingActions: run.pending.length,
    waiting: waitingActions(run.pending),
    checkNumber: run.state.checkNumber,
    recentDecisions: run.recentDecisions,
  };
}

/** Lists the held actions for the query, soonest first, without their params and evidence. */
function waitingActions(pending: readonly PlannedAction[]): WaitingAction[] {
  return [...pending]
    .sort((left, right) => left.notBefore - right.notBefore)
    .map((action) => ({
      idempotencyKey: action.idempotencyKey,
      type: action.type,
      ruleId: action.ruleId,
      recipient: action.recipient,
      notBefore: action.notBefore,
      ...(action.wait === undefined ? {} : { wait: action.wait }),
    }));
}
