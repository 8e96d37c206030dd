import type { Store } from '../store/database';
import type { BenchmarkPayload, BenchmarkSet } from './benchmark-set';

/**
 * Stores a learned payload as the next version, with one summary row per
 * signal and week, in one transaction. Returns the stored set.
 */
export async function saveBenchmarkSet(
  store: Store,
  payload: BenchmarkPayload,
  options: { createdAt: number; termsBefore: number | null },
): Promise<BenchmarkSet> {
  return store.db.transaction().execute(async (trx) => {
    const latest = await trx
      .selectFrom('benchmark_sets')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst();
    const version = Number(latest?.version ?? 0) + 1;

    await trx
      .insertInto('benchmark_sets')
      .values({
        version,
        created_at: options.createdAt,
        terms_before: options.termsBefore,
        payload: JSON.stringify(payload),
      })
      .execute();

    const rows = payload.weeks.flatMap((week) =>
      payload.signals.map((signal) => {
        const stats = week.signals[signal];
        return {
          version,
          signal,
          week: week.week,
          renewed_count: stats?.renewed.n ?? 0,
          churned_count: stats?.churned.n ?? 0,
          renewed_median: stats?.renewed.p50 ?? null,
          churned_median: stats?.churned.p50 ?? null,
          auc: stats?.auc ?? null,
          threshold: stats?.threshold?.value ?? null,
          healthier: stats?.threshold?.healthier ?? null,
        };
      }),
    );
    // SQLite limits bound parameters per statement, so rows go in chunks.
    for (let start = 0; start < rows.length; start += 50) {
      await trx
        .insertInto('benchmark_signals')
        .values(rows.slice(start, start + 50))
        .execute();
    }
    return { ...payload, version, createdAt: options.createdAt, termsBefore: options.termsBefore };
  });
}

/** Loads one version of the benchmark set, or the latest when `version` is omitted. */
export async function loadBenchmarkSet(
  store: Store,
  version?: number,
): Promise<BenchmarkSet | undefined> {
  let query = store.db.selectFrom('benchmark_sets').selectAll();
  query =
    version === undefined
      ? query.orderBy('version', 'desc').limit(1)
      : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;

  const payload = JSON.parse(row.payload) as BenchmarkPayload;
  return {
    ...payload,
    version: row.version,
    createdAt: row.created_at,
    termsBefore: row.terms_before,
  };
}
