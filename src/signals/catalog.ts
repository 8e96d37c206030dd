/**
 * The facts that rules can be written against, with their type and meaning.
 * Rule validation rejects any fact not listed here, and `uptake rules schema`
 * offers these names for completion, so a new signal must be added here too.
 */
export type FactType = 'number' | 'boolean' | 'string' | 'array' | 'object';

export interface FactDefinition {
  type: FactType;
  description: string;
  /** True when the value may be null (for example a duration that has not happened yet). */
  nullable?: boolean;
}

export const factCatalog = {
  accountId: { type: 'string', description: 'Account id.' },
  plan: { type: 'string', description: 'Plan name of the account.', nullable: true },
  stage: {
    type: 'string',
    description:
      'Lifecycle stage as of the date: onboarding, adoption, renewal, renewed or churned. ' +
      'Derived from the stored history by replaying the lifecycle checks with no rule firing, ' +
      'so a backtest gives the same stage on the same date. The first term starts in ' +
      'onboarding (from the account creation before any term), which ends when every ' +
      'onboarding milestone is complete or after 90 days; a later term starts in adoption. ' +
      'Adoption turns into renewal 90 days before the renewal date (both 90s are the default ' +
      'policy). A churned or lapsed outcome, or a cancelled contract, gives churned; a renewed ' +
      'or expanded outcome gives renewed until the next term starts. A change takes effect at ' +
      'the next scheduled check (daily in onboarding and renewal, weekly in adoption). Stage ' +
      'actions of rules are not replayed.',
  },
  termNumber: {
    type: 'number',
    description: 'Number of the current contract term, 1 for the first.',
  },
  accountAgeDays: { type: 'number', description: 'Whole days since the current term started.' },
  activeDaysLast7: {
    type: 'number',
    description: 'Distinct days with any activity in the last 7 days.',
  },
  activeDaysLast30: {
    type: 'number',
    description: 'Distinct days with any activity in the last 30 days.',
  },
  activeUsersLast30: {
    type: 'number',
    description: 'Distinct users with any activity in the last 30 days.',
  },
  seatUtilization: {
    type: 'number',
    description: 'Active users in the last 30 days divided by contracted seats, 0..1.',
    nullable: true,
  },
  daysSinceLastActive: {
    type: 'number',
    description: 'Whole days since the last activity of any user; null when there was none.',
    nullable: true,
  },
  featuresUsedLast30: {
    type: 'number',
    description: 'Distinct features used in the last 30 days.',
  },
  featureBreadth: {
    type: 'number',
    description: 'Features ever used divided by features available at that time, 0..1.',
  },
  keyFeaturesNeverUsed: {
    type: 'array',
    description: 'Keys of key features the account has never used.',
  },
  newFeaturesNotTried: {
    type: 'array',
    description: 'Keys of features released in the last 30 days that the account has not used.',
  },
  usageTrend: {
    type: 'number',
    description:
      'Events in the last 14 days divided by events in the 14 days before; null when both are 0.',
    nullable: true,
  },
  onboardingCompletion: {
    type: 'number',
    description:
      'Completed onboarding milestones divided by all of them, 0..1. Onboarding milestones are ' +
      'keyed "onboarding" or "onboarding:<step>". Without such keys, every milestone counts.',
  },
  overdueMilestones: {
    type: 'number',
    description: 'Milestones past their due date and not completed.',
  },
  daysToOnboard: {
    type: 'number',
    description:
      'Days from term start to the last onboarding milestone completed; null until all are.',
    nullable: true,
  },
  goalsMet: { type: 'number', description: 'Goals (conditions of success) met so far.' },
  daysToValue: {
    type: 'number',
    description: 'Days from term start to the first goal met; null until one is.',
    nullable: true,
  },
  openTickets: { type: 'number', description: 'Support tickets opened and not yet closed.' },
  ticketsFirst30Days: {
    type: 'number',
    description: 'Support tickets opened in the first 30 days of the term.',
  },
  daysToRenewal: {
    type: 'number',
    description:
      'Whole days until the renewal date of the current term; negative once it has passed.',
    nullable: true,
  },
  userCadence: {
    type: 'array',
    description:
      'Per user: { userId, role, activeDaysPerWeek, expectedDaysPerWeek, meetsCadence } over the last 28 days.',
  },
  usersBelowCadence: {
    type: 'number',
    description: 'Users whose active days per week fall below their role’s cadence.',
  },
  cadenceAttainment: {
    type: 'number',
    description:
      'Share of users meeting their role’s cadence, 0..1; null when the account has no users.',
    nullable: true,
  },
  percentiles: {
    type: 'object',
    description:
      'Per signal, the account’s percentile (0..100) among renewed accounts of the same age in the learned benchmark set.',
  },
  healthScore: {
    type: 'number',
    description:
      'Health score 0..100 with weights learned from past outcomes; null without a benchmark set.',
    nullable: true,
  },
  adopterCategories: {
    type: 'object',
    description:
      'Per feature key: innovator, early_adopter, early_majority, late_majority or laggard, for features the account uses.',
  },
  isEarlyAdopter: {
    type: 'boolean',
    description: 'True when the account is an innovator or early adopter of any feature.',
  },
} as const satisfies Record<string, FactDefinition>;

export type FactName = keyof typeof factCatalog;

/** Per-user adoption against the cadence expected for the user's role. */
export interface UserCadence {
  userId: string;
  role: string;
  activeDaysPerWeek: number;
  expectedDaysPerWeek: number;
  meetsCadence: boolean;
}

/** The facts of one account as of one instant: the input of rule evaluation. */
export interface AccountFacts {
  accountId: string;
  plan: string | null;
  stage: string;
  termNumber: number;
  accountAgeDays: number;
  activeDaysLast7: number;
  activeDaysLast30: number;
  activeUsersLast30: number;
  seatUtilization: number | null;
  daysSinceLastActive: number | null;
  featuresUsedLast30: number;
  featureBreadth: number;
  keyFeaturesNeverUsed: string[];
  newFeaturesNotTried: string[];
  usageTrend: number | null;
  onboardingCompletion: number;
  overdueMilestones: number;
  daysToOnboard: number | null;
  goalsMet: number;
  daysToValue: number | null;
  openTickets: number;
  ticketsFirst30Days: number;
  daysToRenewal: number | null;
  userCadence: UserCadence[];
  usersBelowCadence: number;
  cadenceAttainment: number | null;
  percentiles: Record<string, number>;
  healthScore: number | null;
  adopterCategories: Record<string, string>;
  isEarlyAdopter: boolean;
}
