import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadBenchmarkSet } from '../../learn/benchmark-store';
import { formatKpiReport } from '../../reports/format-kpis';
import { renderKpiHtml } from '../../reports/html-report';
import { loadKpiInput } from '../../reports/kpi-data';
import { computeKpis, defaultKpiSettings } from '../../reports/kpis';
import { openExistingStore, parseDateOption } from '../../reports/store-access';

interface KpisOptions {
  db?: string;
  asOf?: string;
  json?: boolean;
  html?: string;
  onboardDays: string;
  riskBelow: string;
}

/** Registers `uptake kpis`. */
export function registerKpisCommand(program: Command): void {
  program
    .command('kpis')
    .description(
      'Report Time To Onboard, Time To Value, adoption per feature over account age, adopter categories, renewal and churn by cohort, and the current risk list',
    )
    .option('--db <path>', 'SQLite store file (default: UPTAKE_DB or .uptake/uptake.sqlite)')
    .option('--as-of <date>', 'ISO date to compute the KPIs at (default: now)')
    .option('--json', 'print one JSON object instead of tables')
    .option('--html <file>', 'also write a self-contained HTML report with charts to this file')
    .option(
      '--onboard-days <days>',
      'expected time to onboard: days from term start within which completing onboarding counts as on time',
      String(defaultKpiSettings.expectedOnboardDays),
    )
    .option(
      '--risk-below <score>',
      'health score (0..100) under which an active account is on the risk list; needs a learned benchmark set',
      String(defaultKpiSettings.riskBelow),
    )
    .action(async (options: KpisOptions) => {
      const asOf = options.asOf ? parseDateOption('--as-of', options.asOf) : Date.now();
      const settings = {
        ...defaultKpiSettings,
        expectedOnboardDays: parsePositive('--onboard-days', options.onboardDays),
        riskBelow: parsePositive('--risk-below', options.riskBelow),
      };
      // Checked before the KPIs are computed, which can take a while on a large store.
      if (options.html) checkOutputFolder('--html', options.html);
      const store = await openExistingStore(options.db);
      try {
        const benchmarks = await loadBenchmarkSet(store);
        const report = computeKpis(await loadKpiInput(store, asOf, benchmarks), settings);
        if (options.html) writeFileSync(options.html, renderKpiHtml(report));
        console.log(options.json ? JSON.stringify(report) : formatKpiReport(report));
      } finally {
        await store.close();
      }
    });
}

function parsePositive(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(
      `Invalid ${option} value "${text}": expected a number of at least 0, such as 30.`,
    );
  }
  return value;
}

function checkOutputFolder(option: string, file: string): void {
  const folder = dirname(resolve(file));
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(
      `Invalid ${option} value "${file}": folder ${folder} not found. Create it or write the report into an existing folder.`,
    );
  }
}
