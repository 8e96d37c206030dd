import { adopterCategories, isEarlyCategory } from '../learn/adopter-categories';
import { summarize, type Distribution } from '../learn/statistics';
import type { AccountFacts } from '../signals/catalog';

/** One account as the KPIs see it as of the report instant. */
export interface KpiAccount {
  facts: AccountFacts;
  /** Start of the current term (epoch ms). */
  termStart: number;
  /** First use of each feature, in whole days since the current term started (negative before it). */
  firstUseAgeDays: Record<string, number>;
  /** True once the current term has an outcome (renewed, churned or lapsed) as of the report. */
  ended: boolean;
  /** Per signal contribution to the health score, when a benchmark set was used. */
  healthContributions?: Record<string, number>;
}

/** One contract term for the cohort table, with the outcome known by the report instant. */
export interface KpiTerm {
  startAt: number;
  outcome: 'renewed' | 'expanded' | 'churned' | 'lapsed' | null;
}

/** Settings of the KPI computations. */
export interface KpiSettings {
  /** Days from term start within which onboarding counts as on time. */
  expectedOnboardDays: number;
  /** Accounts with a health score below this go to the risk list. */
  riskBelow: number;
  /** Maximum weeks of account age in the adoption curves. */
  maxWeeks: number;
}

export const defaultKpiSettings: KpiSettings = {
  expectedOnboardDays: 30,
  riskBelow: 40,
  maxWeeks: 26,
};

/** Time To Onboard KPI: accounts onboarded within the expected days over accounts onboarded. */
export interface TimeToOnboard {
  expectedDays: number;
  onboarded: number;
  onTime: number;
  notYetOnboarded: number;
  /** onTime / onboarded, null when no account has completed onboarding. */
  kpi: number | null;
}

/** Time To Value: days from term start to the first goal met. */
export interface TimeToValue {
  reached: number;
  notReached: number;
  distribution: Distribution;
  histogram: { label: string; accounts: number }[];
}

/** Share of accounts that had used a feature by each week of account age. */
export interface FeatureAdoptionCurve {
  featureKey: string;
  /** shares[w - 1] is the share among accounts at least w weeks old that used the feature within w weeks. */
  shares: (number | null)[];
}

/** Renewal and churn of the terms that started in one month. */
export interface CohortOutcome {
  cohort: string;
  terms: number;
  renewed: number;
  churned: number;
  lapsed: number;
  open: number;
  /** Renewed (or expanded) over ended terms; null when none has ended. */
  renewalRate: number | null;
}

/** An account on the current risk list. */
export interface RiskEntry {
  accountId: string;
  healthScore: number;
  stage: string;
  daysToRenewal: number | null;
  /** The signals that pull the score down most, weakest first. */
  weakestSignals: string[];
  /** Features of which the account is an innovator or early adopter. */
  earlyAdopterOf: string[];
}

/** Every KPI of the report. */
export interface KpiReport {
  asOf: string;
  accounts: number;
  timeToOnboard: TimeToOnboard;
  timeToValue: TimeToValue;
  adoption: FeatureAdoptionCurve[];
  adopterMix: { featureKey: string; counts: Record<string, number> }[];
  cohorts: CohortOutcome[];
  riskList: RiskEntry[];
}

/** Computes the Time To Onboard KPI from each account's daysToOnboard fact. */
export function computeTimeToOnboard(
  accounts: readonly KpiAccount[],
  expectedDays: number,
): TimeToOnboard {
  const days = accounts.map((account) => account.facts.daysToOnboard);
  const onboarded = days.filter((value): value is number => value !== null);
  const onTime = onboarded.filter((value) => value <= expectedDays).length;
  return {
    expectedDays,
    onboarded: onboarded.length,
    onTime,
    notYetOnboarded: days.length - onboarded.length,
    kpi: onboarded.length === 0 ? null : onTime / onboarded.length,
  };
}

const valueBuckets: { label: string; upTo: number }[] = [
  { label: '0-7 days', upTo: 7 },
  { label: '8-14 days', upTo: 14 },
  { label: '15-30 days', upTo: 30 },
  { label: '31-60 days', upTo: 60 },
  { label: '61-90 days', upTo: 90 },
  { label: 'over 90 days', upTo: Infinity },
];

/** Computes the Time To Value distribution from each account's daysToValue fact. */
export function computeTimeToValue(accounts: readonly KpiAccount[]): TimeToValue {
  const days = accounts
    .map((account) => account.facts.daysToValue)
    .filter((value): value is number => value !== null);
  const histogram = valueBuckets.map((bucket, i) => ({
    label: bucket.label,
    accounts: days.filter((d) => d <= bucket.upTo && (i === 0 || d > valueBuckets[i - 1]!.upTo))
      .length,
  }));
  return {
    reached: days.length,
    notReached: accounts.length - days.length,
    distribution: summarize(days),
    histogram,
  };
}

/** Computes, per feature, the share of accounts that had used it by each week of account age. */
export function computeAdoptionCurves(
  accounts: readonly KpiAccount[],
  featureKeys: readonly string[],
  maxWeeks: number,
): FeatureAdoptionCurve[] {
  return featureKeys.map((featureKey) => {
    const shares: (number | null)[] = [];
    for (let week = 1; week <= maxWeeks; week += 1) {
      const old = accounts.filter((account) => account.facts.accountAgeDays >= week * 7);
      const used = old.filter(
        (account) => (account.firstUseAgeDays[featureKey] ?? Infinity) < week * 7,
      );
      shares.push(old.length === 0 ? null : used.length / old.length);
    }
    return { featureKey, shares };
  });
}

/** Counts accounts per adopter category for each feature. */
export function computeAdopterMix(
  accounts: readonly KpiAccount[],
  featureKeys: readonly string[],
): { featureKey: string; counts: Record<string, number> }[] {
  return featureKeys.map((featureKey) => {
    const counts: Record<string, number> = Object.fromEntries(
      adopterCategories.map((category) => [category, 0]),
    );
    for (const account of accounts) {
      const category = account.facts.adopterCategories[featureKey];
      if (category !== undefined) counts[category] = (counts[category] ?? 0) + 1;
    }
    return { featureKey, counts };
  });
}

/** Groups terms by the UTC month they started in and counts their outcomes. */
export function computeCohorts(terms: readonly KpiTerm[]): CohortOutcome[] {
  const byCohort = new Map<string, CohortOutcome>();
  for (const term of terms) {
    const cohort = new Date(term.startAt).toISOString().slice(0, 7);
    const row = byCohort.get(cohort) ?? {
      cohort,
      terms: 0,
      renewed: 0,
      churned: 0,
      lapsed: 0,
      open: 0,
      renewalRate: null,
    };
    row.terms += 1;
    if (term.outcome === 'renewed' || term.outcome === 'expanded') row.renewed += 1;
    else if (term.outcome === 'churned') row.churned += 1;
    else if (term.outcome === 'lapsed') row.lapsed += 1;
    else row.open += 1;
    byCohort.set(cohort, row);
  }
  return [...byCohort.values()]
    .sort((a, b) => (a.cohort < b.cohort ? -1 : 1))
    .map((row) => {
      const ended = row.terms - row.open;
      return { ...row, renewalRate: ended === 0 ? null : row.renewed / ended };
    });
}

/**
 * Lists accounts whose current term has not ended and whose health score is
 * below `riskBelow`, lowest score first.
 */
export function computeRiskList(accounts: readonly KpiAccount[], riskBelow: number): RiskEntry[] {
  return accounts
    .filter(
      (account) =>
        !account.ended &&
        account.facts.healthScore !== null &&
        account.facts.healthScore < riskBelow,
    )
    .map((account) => ({
      accountId: account.facts.accountId,
      healthScore: account.facts.healthScore!,
      stage: account.facts.stage,
      daysToRenewal: account.facts.daysToRenewal,
      weakestSignals: Object.entries(account.healthContributions ?? {})
        .filter(([, contribution]) => contribution < 0)
        .sort(([, a], [, b]) => a - b)
        .slice(0, 3)
        .map(([signal]) => signal),
      earlyAdopterOf: Object.entries(account.facts.adopterCategories)
        .filter(([, category]) => isEarlyCategory(category))
        .map(([featureKey]) => featureKey)
        .sort(),
    }))
    .sort((a, b) => a.healthScore - b.healthScore || (a.accountId < b.accountId ? -1 : 1));
}

/** Computes every KPI of the report. */
export function computeKpis(
  input: {
    asOf: number;
    accounts: readonly KpiAccount[];
    terms: readonly KpiTerm[];
    featureKeys: readonly string[];
  },
  settings: KpiSettings = defaultKpiSettings,
): KpiReport {
  return {
    asOf: new Date(input.asOf).toISOString(),
    accounts: input.accounts.length,
    timeToOnboard: computeTimeToOnboard(input.accounts, settings.expectedOnboardDays),
    timeToValue: computeTimeToValue(input.accounts),
    adoption: computeAdoptionCurves(input.accounts, input.featureKeys, settings.maxWeeks),
    adopterMix: computeAdopterMix(input.accounts, input.featureKeys),
    cohorts: computeCohorts(input.terms),
    riskList: computeRiskList(input.accounts, settings.riskBelow),
  };
}
