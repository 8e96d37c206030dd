import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { HeldAction, LifecycleState, StageTransition } from '../src/lifecycle/types';

/** Every signal may carry an id; a second signal with the same id is dropped. */
export interface SignalEnvelope {
  id?: string;
}

/** The contract of the account changed: a moved renewal date, a new term or an outcome. */
export interface ContractChange extends SignalEnvelope {
  termNumber?: number;
  renewalAt?: number;
}

/** An onboarding milestone was completed. */
export interface MilestoneCompletion extends SignalEnvelope {
  milestoneKey?: string;
}

/** A request for an immediate check, with the reason for the log. */
export interface RecheckRequest extends SignalEnvelope {
  reason?: string;
}

export const contractChangedSignal = defineSignal<[ContractChange]>('contractChanged');
export const milestoneCompletedSignal = defineSignal<[MilestoneCompletion]>('milestoneCompleted');
export const recheckSignal = defineSignal<[RecheckRequest]>('recheck');
export const pauseSignal = defineSignal<[SignalEnvelope]>('pause');
export const resumeSignal = defineSignal<[SignalEnvelope]>('resume');
/** Sent by signal-with-start when the workflow may already run; changes nothing. */
export const ensureSignal = defineSignal<[SignalEnvelope]>('ensure');

/** A signal waiting in the workflow's inbox until the main loop applies it. */
export type InboxEntry =
  | { kind: 'contractChanged'; payload: ContractChange }
  | { kind: 'milestoneCompleted'; payload: MilestoneCompletion }
  | { kind: 'recheck'; payload: RecheckRequest }
  | { kind: 'pause'; payload: SignalEnvelope }
  | { kind: 'resume'; payload: SignalEnvelope };

/** One check as the query shows it. */
export interface DecisionSummary {
  checkNumber: number;
  at: number;
  stage: string;
  ruleSetVersion: string;
  firedRuleIds: string[];
  plannedKeys: string[];
  held: HeldAction[];
  /** Planned actions that wait before delivery, with the reason, such as the recipient's quiet hours. */
  waits?: { idempotencyKey: string; reason: string }[];
  transition?: StageTransition;
  /** Set when the check failed, with the failure message. */
  error?: string;
}

/** Result of the `state` query. */
export interface LifecycleView {
  accountId: string;
  stage: LifecycleState['stage'];
  termNumber: number;
  renewalAt: number | null;
  nextCheckAt: number | null;
  paused: boolean;
  pendingActions: number;
  /** The planned actions that wait for their time, such as the end of quiet hours, soonest first. */
  waiting: WaitingAction[];
  checkNumber: number;
  recentDecisions: DecisionSummary[];
}

/** A planned action the workflow keeps until `notBefore`. */
export interface WaitingAction {
  idempotencyKey: string;
  type: string;
  ruleId: string;
  recipient: string;
  notBefore: number;
  /** Reason of the wait, such as the recipient's quiet hours; absent when none was given. */
  wait?: string;
}

export const stateQuery = defineQuery<LifecycleView>('state');
