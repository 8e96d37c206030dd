import { adopterCategories } from '../learn/adopter-categories';
import type { KpiReport } from './kpis';
import { formatNumber, formatPercent, formatTable } from './text-table';

/** Weeks of account age shown in the terminal adoption table; the HTML chart shows every week. */
const adoptionWeeks = [1, 2, 4, 8, 13, 26];

/** Formats the KPI report as terminal tables. */
export function formatKpiReport(report: KpiReport): string {
  const tto = report.timeToOnboard;
  const ttv = report.timeToValue;
  return [
    `KPIs as of ${report.asOf}, ${report.accounts} accounts with a current term`,
    '',
    `Time To Onboard: ${formatPercent(tto.kpi)} (${tto.onTime} of ${tto.onboarded} onboarded accounts within ${tto.expectedDays} days; ${tto.notYetOnboarded} not onboarded yet)`,
    '',
    `Time To Value: ${ttv.reached} accounts met a first goal, ${ttv.notReached} not yet; median ${formatNumber(ttv.distribution.p50, 1)} days, p25 ${formatNumber(ttv.distribution.p25, 1)}, p75 ${formatNumber(ttv.distribution.p75, 1)}`,
    formatTable(
      ['days to value', 'accounts'],
      ttv.histogram.map((bucket) => [bucket.label, String(bucket.accounts)]),
    ),
    '',
    'Adoption per feature (share of accounts that had used it by account week):',
    formatTable(
      ['feature', ...adoptionWeeks.map((week) => `w${week}`)],
      report.adoption.map((curve) => [
        curve.featureKey,
        ...adoptionWeeks.map((week) => formatPercent(curve.shares[week - 1], 0)),
      ]),
    ),
    '',
    'Adopter categories per feature:',
    formatTable(
      ['feature', ...adopterCategories],
      report.adopterMix.map((mix) => [
        mix.featureKey,
        ...adopterCategories.map((category) => String(mix.counts[category] ?? 0)),
      ]),
    ),
    '',
    'Renewal and churn by cohort (month the term started):',
    formatTable(
      ['cohort', 'terms', 'renewed', 'churned', 'lapsed', 'open', 'renewal rate'],
      report.cohorts.map((row) => [
        row.cohort,
        ...[row.terms, row.renewed, row.churned, row.lapsed, row.open].map(String),
        formatPercent(row.renewalRate),
      ]),
    ),
    '',
    formatRiskList(report),
  ].join('\n');
}

function formatRiskList(report: KpiReport): string {
  if (report.riskList.length === 0)
    return 'Current risk list: no account below the risk threshold (or no benchmark set learned).';
  const shown = report.riskList.slice(0, 20);
  const rows = shown.map((entry) => [
    entry.accountId,
    formatNumber(entry.healthScore, 1),
    entry.stage,
    entry.daysToRenewal === null ? '-' : String(entry.daysToRenewal),
    entry.weakestSignals.join(', '),
    entry.earlyAdopterOf.join(', '),
  ]);
  const more =
    report.riskList.length > shown.length
      ? `\n${report.riskList.length - shown.length} more; --json lists all.`
      : '';
  return `Current risk list (${report.riskList.length} accounts):\n${formatTable(['account', 'health', 'stage', 'days to renewal', 'weakest signals', 'early adopter of'], rows)}${more}`;
}
