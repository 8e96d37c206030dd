import { resolvePolicy } from './policy';
import type { DecisionPolicy, LifecycleState } from './types';

const dayMs = 86_400_000;

/**
 * Returns the instant of the next scheduled check, or null for a churned
 * account. The stage cadence applies from the last check. In adoption the
 * check is pulled forward to the day the renewal window opens, so the stage
 * changes on time even between weekly checks.
 */
export function nextCheckAt(
  state: LifecycleState,
  overrides: Partial<DecisionPolicy> = {},
): number | null {
  if (state.stage === 'churned') return null;
  const policy = resolvePolicy(overrides);
  if (state.lastCheckAt === null) return state.stageEnteredAt;

  const cadence = state.lastCheckAt + policy.cadenceDays[state.stage] * dayMs;
  if (state.stage !== 'adoption' || state.renewalAt === null) return cadence;

  // Whole days to renewal are rounded down, as the signals count them, so the
  // window's first day spans [window, window + 1) days before renewal. Waking
  // in its middle keeps every later daily check clear of whole-day boundaries.
  const windowOpensAt = state.renewalAt - (policy.renewalWindowDays + 0.5) * dayMs;
  if (windowOpensAt <= state.lastCheckAt) return cadence;
  return Math.min(cadence, windowOpensAt);
}
