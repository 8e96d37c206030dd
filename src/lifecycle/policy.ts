import type { DecisionPolicy } from './types';

/**
 * Defaults: daily checks in onboarding and renewal, weekly in adoption; the
 * renewal window opens 90 days before the renewal date; at most 3 messages per
 * user and 10 per account in any 7 days; emails wait out 21:00-08:00 local time.
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
