import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultStorePath } from '../../config';
import { loadAdoptionIndex } from '../../learn/adoption-from-store';
import { loadBenchmarkSet } from '../../learn/benchmark-store';
import { createEnrich } from '../../learn/enrich';
import type { AccountFacts, UserCadence } from '../../signals/catalog';
import { computeSignals, type EnrichFacts } from '../../signals/compute';
import { assertAccountExisted } from '../../signals/account-start';
import { loadAccountHistory } from '../../signals/history';
import { openStore, type Store } from '../../store/database';
import { parseInstant } from '../../store/time';

interface SignalsOptions {
  asOf: string;
  db?: string;
  json?: boolean;
  learned: boolean;
}

/** Registers `uptake signals <accountId>`, which prints the facts of one account as of an instant. */
export function registerSignalsCommand(program: Command): void {
  program
    .command('signals')
    .description('Print the usage signals (rule facts) of one account as of an instant')
    .argument('<accountId>', 'id of the account in the store')
    .requiredOption(
      '--as-of <ISO date>',
      'instant to compute the signals at, e.g. 2013-11-15 (00:00 UTC of that day, whose usage counts in full) or 2013-11-15T12:00:00Z',
    )
    .option('--db <path>', 'SQLite store file (default: UPTAKE_DB or .uptake/uptake.sqlite)')
    .option('--json', 'print one JSON object instead of a table')
    .option(
      '--no-learned',
      'leave out the learned facts (percentiles, health score, adopter categories), which read the benchmark set and every account’s first uses',
    )
    .action(async (accountId: string, options: SignalsOptions) => {
      const output = await renderSignals(accountId, options);
      console.log(output);
    });
}

/** Computes and formats the facts, throwing an error that names the bad value. */
async function renderSignals(accountId: string, options: SignalsOptions): Promise<string> {
  const asOf = parseInstant(options.asOf);
  if (asOf === undefined) {
    throw new Error(
      `Invalid --as-of value "${options.asOf}": expected an ISO 8601 date such as 2013-11-15 or 2013-11-15T12:00:00Z.`,
    );
  }
  const path = options.db ?? defaultStorePath();
  if (!existsSync(path)) {
    throw new Error(`Store file not found: ${path}. Pass --db <path> or import data first.`);
  }

  const store = await openStoreNamed(path);
  try {
    const history = await loadAccountHistory(store, accountId);
    if (!history) {
      throw new Error(
        `Account "${accountId}" not found in ${path}. Check the id or the --db file.`,
      );
    }
    // Checked before the learned facts are loaded, which read every account's first uses.
    assertAccountExisted(history, asOf);
    const enrich = options.learned ? await loadEnrich(store, asOf) : undefined;
    const facts = computeSignals(history, asOf, enrich ? { enrich } : {});
    return options.json ? formatFactsJson(facts, asOf) : formatFactsTable(facts, asOf);
  } finally {
    await store.close();
  }
}

/** Opens the store, naming the file and the fix when it is not an SQLite store. */
async function openStoreNamed(path: string): Promise<Store> {
  try {
    return await openStore(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot open ${path} as an Uptake store (${reason}). ` +
        'Pass --db <path> with an SQLite store file that `uptake import` created.',
      { cause: error },
    );
  }
}

/** Formats the facts as one JSON object, led by the instant they were computed at. */
export function formatFactsJson(facts: AccountFacts, asOf: number): string {
  return JSON.stringify({ asOf: new Date(asOf).toISOString(), ...facts });
}

/** Builds the learned-facts step from the latest benchmark set and the adoption order up to `asOf`. */
async function loadEnrich(store: Store, asOf: number): Promise<EnrichFacts> {
  const benchmarks = await loadBenchmarkSet(store);
  const adoption = await loadAdoptionIndex(store, asOf);
  return createEnrich({ adoption, ...(benchmarks ? { benchmarks } : {}) });
}

/** Formats the facts as two aligned columns, then the per-user cadence as its own table. */
export function formatFactsTable(facts: AccountFacts, asOf: number): string {
  const rows: [string, string][] = [['asOf', new Date(asOf).toISOString()]];
  for (const [name, value] of Object.entries(facts)) {
    if (name === 'userCadence') continue;
    rows.push([name, formatValue(value)]);
  }
  const lines = alignColumns(rows);
  lines.push('', ...formatCadenceTable(facts.userCadence));
  return lines.join('\n');
}

function formatCadenceTable(entries: readonly UserCadence[]): string[] {
  if (entries.length === 0) return ['userCadence: no users'];
  const header: string[] = ['user', 'role', 'active days/week', 'expected', 'meets cadence'];
  const rows = entries.map((entry) => [
    entry.userId,
    entry.role,
    formatNumber(entry.activeDaysPerWeek),
    formatNumber(entry.expectedDaysPerWeek),
    entry.meetsCadence ? 'yes' : 'no',
  ]);
  return ['userCadence:', ...alignColumns([header, ...rows])];
}

function alignColumns(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function formatValue(value: unknown): string {
  if (value === null) return '-';
  if (typeof value === 'number') return formatNumber(value);
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0
      ? '(none)'
      : entries.map(([k, v]) => `${k}=${String(v)}`).join(', ');
  }
  return String(value);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
