import type { DecisionPolicy } from '../lifecycle/types';
import type { EpochMs } from '../store/schema';
import { toEpochDay } from '../store/time';
import { assertAccountExisted } from './account-start';
import type { AccountFacts } from './catalog';
import { computeCadenceFacts, type CadenceOptions } from './cadence';
import { computeFeatureFacts } from './features';
import type { AccountHistory } from './history';
import { computeOnboardingFacts } from './onboarding';
import { stageAsOf } from './stage';
import { computeTermFacts } from './term';
import { computeTicketFacts } from './tickets';
import { computeUsageTrend, summarizeUsage, type UsageSummary } from './usage';

/**
 * Step that fills the learned facts (percentiles, healthScore, adopterCategories,
 * isEarlyAdopter) from a benchmark set. The learning area provides it.
 */
export type EnrichFacts = (
  facts: AccountFacts,
  history: AccountHistory,
  asOf: EpochMs,
) => AccountFacts;

/** Options of `computeSignals`: cadence overrides, the optional learned step and the stage policy. */
export interface SignalOptions extends CadenceOptions {
  enrich?: EnrichFacts;
  /** Decision policy overrides whose onboarding and renewal limits place `stage`. */
  policy?: Partial<DecisionPolicy>;
}

/**
 * Computes every fact of the catalog for one account as of `asOf` (epoch ms).
 * Pure: it reads only `history`, and no row dated after `asOf` changes any
 * value. Usage is stored per UTC day, so a rollup row dated on the asOf day
 * counts in full even for the hours after `asOf`. Instants (terms,
 * milestones, goals, tickets, releases, user creation) compare exactly.
 *
 * The current term is the contract with the latest start at or before
 * `asOf`, and ages and first-30-day counts start from it (from the account's
 * creation before any term). `stage` is derived as of `asOf` by the
 * lifecycle's own rules (see `createStageWalker`); `plan` is the stored value.
 * An `asOf` on a day before the account existed throws
 * `AsOfBeforeAccountError` rather than returning zeros. Ratios (seatUtilization, featureBreadth, onboardingCompletion,
 * cadenceAttainment) stay within 0..1. The learned facts stay empty unless
 * `options.enrich` fills them.
 */
export function computeSignals(
  history: AccountHistory,
  asOf: EpochMs,
  options: SignalOptions = {},
): AccountFacts {
  const usage = summarizeUsage(history.usageDaily, toEpochDay(asOf));
  return computeSignalsWithUsage(history, asOf, usage, options);
}

/**
 * Computes the facts as `computeSignals` does, with the usage summary of the
 * asOf day (and optionally the stage) given by the caller, so that a caller
 * walking day by day can build them incrementally (see `createSignalCursor`).
 */
export function computeSignalsWithUsage(
  history: AccountHistory,
  asOf: EpochMs,
  usage: UsageSummary,
  options: SignalOptions = {},
  stageAt: (asOf: EpochMs) => string = (instant) => stageAsOf(history, instant, options.policy),
): AccountFacts {
  assertAccountExisted(history, asOf);
  const asOfDay = toEpochDay(asOf);
  const { account } = history;
  const term = computeTermFacts(account, history.contracts, asOf);
  const features = computeFeatureFacts(history.features, usage.lastUsedDayByFeature, asOf);
  const onboarding = computeOnboardingFacts(
    history.milestones,
    history.goals,
    term.termStart,
    asOf,
  );
  const tickets = computeTicketFacts(history.tickets, term.termStart, asOf);
  const cadence = computeCadenceFacts(history.users, usage, asOf, options);

  // Fields are listed one by one rather than spread from the parts, because this runs at
  // every check of every account in a backtest and spreads copy each part once more.
  const facts: AccountFacts = {
    accountId: account.id,
    plan: account.plan,
    stage: stageAt(asOf),
    termNumber: term.termNumber,
    accountAgeDays: term.accountAgeDays,
    activeDaysLast7: usage.activeDaysLast7,
    activeDaysLast30: usage.activeDaysLast30,
    activeUsersLast30: usage.activeUsersLast30,
    // Capped because rollups may name users the seat count leaves out.
    seatUtilization: term.seats === null ? null : Math.min(1, usage.activeUsersLast30 / term.seats),
    daysSinceLastActive: usage.lastActiveDay === null ? null : asOfDay - usage.lastActiveDay,
    featuresUsedLast30: usage.featuresUsedLast30,
    featureBreadth: features.featureBreadth,
    keyFeaturesNeverUsed: features.keyFeaturesNeverUsed,
    newFeaturesNotTried: features.newFeaturesNotTried,
    usageTrend: computeUsageTrend(usage.eventsLast14, usage.eventsPrior14),
    onboardingCompletion: onboarding.onboardingCompletion,
    overdueMilestones: onboarding.overdueMilestones,
    daysToOnboard: onboarding.daysToOnboard,
    goalsMet: onboarding.goalsMet,
    daysToValue: onboarding.daysToValue,
    openTickets: tickets.openTickets,
    ticketsFirst30Days: tickets.ticketsFirst30Days,
    daysToRenewal: term.daysToRenewal,
    userCadence: cadence.userCadence,
    usersBelowCadence: cadence.usersBelowCadence,
    cadenceAttainment: cadence.cadenceAttainment,
    percentiles: {},
    healthScore: null,
    adopterCategories: {},
    isEarlyAdopter: false,
  };
  return options.enrich ? options.enrich(facts, history, asOf) : facts;
}
