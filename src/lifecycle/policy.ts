import type { DecisionPolicy } from './types';

/**
 * Default policy. Checks run daily in onboarding and renewal and weekly in
 * adoption. The renewal window opens 90 days before the renewal date. Each
 * user gets at most 3 messages and each account 10 in any 7 days. Emails wait
 * out 21:00-08:00 in the recipient's local time.
 */
export const defaultPolicy: DecisionPolicy = {
  renewalWindowDays: 90,
  maxOnboardingDays: 90,
  cadenceDays: { onboarding: 1, adoption: 7, renewal: 1 },
  perUserCap: { max: 3, windowDays: 7 },
  perAccountCap: { max: 10, windowDays: 7 },
  quietHours: { startHour: 21, endHour: 8 },
};

/** Merges a partial policy over the defaults. */
export function resolvePolicy(overrides: Partial<DecisionPolicy> = {}): DecisionPolicy {
  return {
    ...defaultPolicy,
    ...overrides,
    cadenceDays: { ...defaultPolicy.cadenceDays, ...overrides.cadenceDays },
  };
}
