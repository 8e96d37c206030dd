import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { adopterCategories } from '../learn/adopter-categories';
import type { KpiReport } from './kpis';

/** Reads Chart.js's UMD bundle, which defines the global `Chart` when inlined in a page. */
export function readChartBundle(): string {
  // The package exports only its module entry points, so resolve the CommonJS one and look beside it.
  const bundle = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
  return readFileSync(bundle, 'utf8');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Serializes data for a <script> element, so that no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Renders the KPI report as one self-contained HTML file: the data, Chart.js
 * and the drawing code are inline, so the file opens offline.
 */
export function renderKpiHtml(report: KpiReport, chartBundle: string = readChartBundle()): string {
  const tto = report.timeToOnboard;
  const kpi = tto.kpi === null ? 'no account onboarded yet' : `${(tto.kpi * 100).toFixed(1)}%`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Uptake KPIs as of ${escapeHtml(report.asOf.slice(0, 10))}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 24px; }
.card { border: 1px solid #ddd; border-radius: 8px; padding: 16px; }
.kpi { font-size: 2.4em; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; }
</style>
</head>
<body>
<h1>Uptake KPIs</h1>
<p>As of ${escapeHtml(report.asOf)}, ${report.accounts} accounts with a current term.</p>
<div class="grid">
<div class="card"><h2>Time To Onboard</h2>
<div class="kpi" id="tto">${escapeHtml(kpi)}</div>
<p>${tto.onTime} of ${tto.onboarded} onboarded accounts completed onboarding within ${tto.expectedDays} days of their term start; ${tto.notYetOnboarded} have not completed it yet.</p></div>
<div class="card"><h2>Time To Value</h2><canvas id="ttv"></canvas></div>
<div class="card"><h2>Adoption per feature over account age</h2><canvas id="adoption"></canvas></div>
<div class="card"><h2>Adopter categories per feature</h2><canvas id="adopters"></canvas></div>
<div class="card"><h2>Renewal and churn by cohort</h2><canvas id="cohorts"></canvas></div>
<div class="card"><h2>Current risk list</h2>${renderRiskTable(report)}</div>
</div>
<script>${chartBundle}</script>
<script id="kpi-data" type="application/json">${scriptJson(report)}</script>
<script>${drawingCode()}</script>
</body>
</html>
`;
}

function renderRiskTable(report: KpiReport): string {
  if (report.riskList.length === 0) return '<p>No account below the risk threshold.</p>';
  const rows = report.riskList
    .slice(0, 50)
    .map(
      (entry) =>
        `<tr><td>${escapeHtml(entry.accountId)}</td><td>${entry.healthScore.toFixed(1)}</td><td>${escapeHtml(entry.stage)}</td><td>${entry.daysToRenewal ?? '-'}</td><td>${escapeHtml(entry.weakestSignals.join(', '))}</td><td>${escapeHtml(entry.earlyAdopterOf.join(', '))}</td></tr>`,
    )
    .join('\n');
  const more =
    report.riskList.length > 50
      ? `<p>${report.riskList.length - 50} more in the JSON output.</p>`
      : '';
  return `<table><thead><tr><th>account</th><th>health</th><th>stage</th><th>days to renewal</th><th>weakest signals</th><th>early adopter of</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}

/** Browser code that draws the charts from the inline JSON. */
function drawingCode(): string {
  return `
const report = JSON.parse(document.getElementById('kpi-data').textContent);
const categories = ${JSON.stringify(adopterCategories)};
const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const colour = (i) => palette[i % palette.length];
Chart.defaults.animation = false;
new Chart(document.getElementById('ttv'), {
  type: 'bar',
  data: { labels: report.timeToValue.histogram.map((b) => b.label),
    datasets: [{ label: 'accounts by days to first goal met', data: report.timeToValue.histogram.map((b) => b.accounts), backgroundColor: colour(0) }] },
});
const weeks = (report.adoption[0] ? report.adoption[0].shares : []).map((_, i) => 'week ' + (i + 1));
new Chart(document.getElementById('adoption'), {
  type: 'line',
  data: { labels: weeks, datasets: report.adoption.map((curve, i) => ({
    label: curve.featureKey, data: curve.shares.map((s) => (s === null ? null : 100 * s)), borderColor: colour(i), backgroundColor: colour(i) })) },
  options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '% of accounts that used it' } } } },
});
new Chart(document.getElementById('adopters'), {
  type: 'bar',
  data: { labels: report.adopterMix.map((m) => m.featureKey), datasets: categories.map((c, i) => ({
    label: c.replace('_', ' '), data: report.adopterMix.map((m) => m.counts[c] || 0), backgroundColor: colour(i) })) },
  options: { scales: { x: { stacked: true }, y: { stacked: true } } },
});
new Chart(document.getElementById('cohorts'), {
  type: 'bar',
  data: { labels: report.cohorts.map((c) => c.cohort), datasets: [
    { label: 'renewed', data: report.cohorts.map((c) => c.renewed), backgroundColor: colour(4) },
    { label: 'churned', data: report.cohorts.map((c) => c.churned), backgroundColor: colour(2) },
    { label: 'lapsed', data: report.cohorts.map((c) => c.lapsed), backgroundColor: colour(1) },
    { label: 'open', data: report.cohorts.map((c) => c.open), backgroundColor: colour(9) }] },
  options: { scales: { x: { stacked: true }, y: { stacked: true } } },
});
document.body.dataset.chartsDrawn = String(Object.keys(Chart.instances).length);
`;
}
