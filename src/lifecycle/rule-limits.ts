import type { FiredRule, LifecycleState } from './types';

const dayMs = 86_400_000;

/**
 * Returns why a fired rule may not act now (cooldown or per-term limit), or
 * undefined when it may.
 */
export function ruleLimitReason(
  rule: FiredRule,
  state: LifecycleState,
  now: number,
): string | undefined {
  const record = state.rules[rule.id];
  if (!record) return undefined;

  if (typeof rule.limitPerTerm === 'number' && record.firedThisTerm >= rule.limitPerTerm) {
    return `limit of ${rule.limitPerTerm} per term reached`;
  }
  if (rule.cooldownDays !== undefined && rule.cooldownDays > 0) {
    const endsAt = record.lastFiredAt + rule.cooldownDays * dayMs;
    if (now < endsAt) return `cooldown of ${rule.cooldownDays} days until ${iso(endsAt)}`;
  }
  return undefined;
}

/** Records that a rule acted at `now`, for its cooldown and per-term limit. */
export function recordRuleFired(
  rules: LifecycleState['rules'],
  ruleId: string,
  now: number,
): LifecycleState['rules'] {
  const firedThisTerm = (rules[ruleId]?.firedThisTerm ?? 0) + 1;
  return { ...rules, [ruleId]: { lastFiredAt: now, firedThisTerm } };
}

function iso(instant: number): string {
  return new Date(instant).toISOString();
}
