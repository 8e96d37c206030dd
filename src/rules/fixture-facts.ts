import type { AccountFacts } from '../signals/catalog';

/**
 * The fact set that rule fixtures start from: a healthy, quiet account in
 * its first term, 30 days in, far from renewal. No default playbook rule
 * fires on it in any stage, which a test checks. A fixture states only the
 * facts that matter to its case, and they replace these key by key.
 */
export const defaultFixtureFacts: AccountFacts = {
  accountId: 'fixture-account',
  plan: 'standard',
  stage: 'adoption',
  termNumber: 1,
  accountAgeDays: 30,
  activeDaysLast7: 5,
  activeDaysLast30: 20,
  activeUsersLast30: 8,
  seatUtilization: 0.8,
  daysSinceLastActive: 0,
  featuresUsedLast30: 6,
  featureBreadth: 0.7,
  keyFeaturesNeverUsed: [],
  newFeaturesNotTried: [],
  usageTrend: 1,
  onboardingCompletion: 1,
  overdueMilestones: 0,
  daysToOnboard: 20,
  goalsMet: 1,
  daysToValue: 25,
  openTickets: 0,
  ticketsFirst30Days: 1,
  daysToRenewal: 200,
  userCadence: [],
  usersBelowCadence: 0,
  cadenceAttainment: 1,
  percentiles: { activeDaysLast30: 60 },
  healthScore: 65,
  adopterCategories: {},
  isEarlyAdopter: false,
};
