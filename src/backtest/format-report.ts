import { formatNumber, formatPercent, formatTable } from '../reports/text-table';
import type { BacktestReport } from './report';

/** Accounts listed per rule in the terminal table; --json lists them all. */
const accountsShown = 5;

/** Formats the backtest report for the terminal. */
export function formatBacktestReport(report: BacktestReport): string {
  const rules = report.rules.map((rule) => [
    rule.ruleId,
    rule.risk ? 'yes' : '',
    String(rule.firings),
    String(rule.accounts.length),
    String(rule.planned),
    String(rule.held),
    rule.accounts.slice(0, accountsShown).join(' ') +
      (rule.accounts.length > accountsShown ? ' ...' : ''),
  ]);
  const risk = report.risk;
  return [
    `Backtest ${report.from.slice(0, 10)} .. ${report.to.slice(0, 10)}, rule set ${report.ruleSetVersion}`,
    `${report.accounts} accounts, ${report.accountDays} account-days, ${report.checks} checks`,
    '',
    formatTable(['rule', 'risk', 'firings', 'accounts', 'planned', 'held', 'for whom'], rules),
    '',
    `Risk rules (${risk.riskRules.join(', ') || 'none fired'}) against actual churn:`,
    `  flagged accounts ${risk.flaggedAccounts}, churned accounts ${risk.churnedAccounts}`,
    `  precision ${formatPercent(risk.precision)}, recall ${formatPercent(risk.recall)}, median lead time ${formatNumber(risk.medianLeadDays, 1)} days`,
    ...formatHeldReasons(risk.heldReasons),
  ].join('\n');
}

function formatHeldReasons(heldReasons: Record<string, number>): string[] {
  const entries = Object.entries(heldReasons);
  if (entries.length === 0) return ['  held risk-rule actions: none'];
  return [
    '  held risk-rule actions, per reason:',
    ...formatTable(
      ['reason', 'held'],
      entries.map(([reason, count]) => [reason, String(count)]),
    )
      .split('\n')
      .map((line) => `    ${line}`),
  ];
}
