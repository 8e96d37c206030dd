import { formatNumber, formatTable } from '../reports/text-table';
import { findWeek, type BenchmarkSet } from './benchmark-set';

/** Weeks whose AUC the summary table shows, next to the week chosen for thresholds. */
const summaryWeeks = [2, 4, 8];

/**
 * Formats a benchmark set for the terminal: per signal the health weight, the
 * AUC at weeks 2, 4 and 8, and the threshold and medians at `week`.
 */
export function formatBenchmarkSet(set: BenchmarkSet, week = 4): string {
  const at = findWeek(set, week);
  const header = [
    'signal',
    'weight',
    ...summaryWeeks.map((w) => `AUC w${w}`),
    `threshold w${at?.week ?? week}`,
    'renewed median',
    'churned median',
  ];
  const rows = set.signals.map((signal) => {
    const stats = at?.signals[signal];
    const threshold = stats?.threshold;
    return [
      signal,
      formatNumber(set.health.weights[signal], 3),
      ...summaryWeeks.map((w) => formatNumber(findWeek(set, w)?.signals[signal]?.auc, 3)),
      threshold
        ? `${threshold.healthier === 'higher' ? '>=' : '<='} ${formatNumber(threshold.value)}`
        : '-',
      formatNumber(stats?.renewed.p50),
      formatNumber(stats?.churned.p50),
    ];
  });

  const created = new Date(set.createdAt).toISOString();
  const before =
    set.termsBefore === null
      ? 'all ended terms'
      : `terms ended before ${new Date(set.termsBefore).toISOString().slice(0, 10)}`;
  return [
    `Benchmark set v${set.version}, created ${created}, learned from ${before}`,
    `${set.renewedAccounts} accounts with a renewed term and ${set.churnedAccounts} with a churned term, ${set.samples} account-weeks, weeks ${set.weeks[0]?.week ?? '-'}..${set.weeks.at(-1)?.week ?? '-'}`,
    `Health score: 100 * sigmoid(${formatNumber(set.health.intercept, 3)} + sum of weight * signal standardized within its week); training AUC ${formatNumber(set.health.trainingAuc, 3)}`,
    '',
    formatTable(header, rows),
  ].join('\n');
}
