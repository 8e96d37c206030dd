import type { RuleAction } from '../../src/actions/types';
import { initialState } from '../../src/lifecycle';
import type {
  DecisionContext,
  DecisionEvaluation,
  FiredRule,
  LifecycleState,
  RecipientUser,
} from '../../src/lifecycle';

export const dayMs = 86_400_000;
/** 2026-01-05T12:00:00Z, a Monday noon in UTC. */
export const start = Date.UTC(2026, 0, 5, 12);

export function user(id: string, overrides: Partial<RecipientUser> = {}): RecipientUser {
  return {
    id,
    email: `${id}@example.test`,
    role: 'member',
    timezone: 'UTC',
    subscribed: true,
    ...overrides,
  };
}

export function context(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return {
    workflowId: 'account-a1',
    checkNumber: 1,
    accountId: 'a1',
    accountTimezone: 'UTC',
    csmOwner: 'csm-1',
    users: [user('u1'), user('u2', { role: 'admin' })],
    facts: { onboardingCompletion: 0, daysToRenewal: 300, userCadence: [] },
    contract: {
      termNumber: 1,
      startAt: start,
      renewalAt: start + 365 * dayMs,
      status: 'active',
      outcome: null,
    },
    ...overrides,
  };
}

export function emailAction(template = 'cadence-nudge'): RuleAction {
  return { type: 'email', template, params: {} };
}

export function rule(id: string, overrides: Partial<FiredRule> = {}): FiredRule {
  return { id, priority: 1, actions: [emailAction()], ...overrides };
}

export function evaluation(...fired: FiredRule[]): DecisionEvaluation {
  return { ruleSetVersion: 'v1', fired };
}

export function state(overrides: Partial<LifecycleState> = {}): LifecycleState {
  return { ...initialState('a1', start), ...overrides };
}
