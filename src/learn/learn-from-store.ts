import { iterateAccountHistories } from '../signals/history';
import type { Store } from '../store/database';
import {
  benchmarkSignals,
  learnBenchmarks,
  type BenchmarkPayload,
  type OutcomeSample,
} from './benchmark-set';
import { collectOutcomeSamples, type SampleOptions } from './outcome-samples';

/** Options of learning from the store. */
export interface LearnOptions extends SampleOptions {
  /** Only accounts whose id this pattern matches; every account when omitted. */
  accountPattern?: RegExp;
  signals?: readonly string[];
}

/** Collects the outcome samples of every matching account in the store. */
export async function collectStoreSamples(
  store: Store,
  options: LearnOptions = {},
): Promise<OutcomeSample[]> {
  const signals = options.signals ?? benchmarkSignals;
  const ids = await listAccountIds(store, options.accountPattern);
  const samples: OutcomeSample[] = [];
  for await (const history of iterateAccountHistories(store, ids)) {
    for (const sample of collectOutcomeSamples(history, signals, options)) samples.push(sample);
  }
  return samples;
}

/** Learns a benchmark payload from the store's past terms. Throws when no term has a usable outcome. */
export async function learnFromStore(
  store: Store,
  options: LearnOptions = {},
): Promise<BenchmarkPayload> {
  const samples = await collectStoreSamples(store, options);
  const payload = learnBenchmarks(samples, options.signals ?? benchmarkSignals);
  if (payload.renewedAccounts === 0 || payload.churnedAccounts === 0) {
    throw new Error(
      `cannot learn benchmarks: found ${payload.renewedAccounts} accounts with a renewed term and ${payload.churnedAccounts} with a churned term ` +
        'among ended terms; import contracts with outcomes (renewed, churned) or move --terms-before later',
    );
  }
  return payload;
}

/** Lists account ids in a stable order, filtered by an optional pattern. */
export async function listAccountIds(store: Store, pattern?: RegExp): Promise<string[]> {
  const rows = await store.db.selectFrom('accounts').select('id').orderBy('id').execute();
  const ids = rows.map((row) => row.id);
  return pattern ? ids.filter((id) => pattern.test(id)) : ids;
}
