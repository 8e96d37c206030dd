import { computeSignals } from '../signals/compute';
import type { AccountHistory } from '../signals/history';
import type { Contract } from '../store/schema';
import { dayMs } from '../store/time';
import type { OutcomeSample } from './benchmark-set';

/** Filter on the past terms that become training samples. */
export interface SampleOptions {
  /** Only terms whose outcome came before this instant; all ended terms when omitted. */
  termsBefore?: number;
  /** Count lapsed terms (ended without renewal or cancellation) as churned; default true. */
  lapsedAsChurned?: boolean;
}

/** Returns a term's training label: true renewed, false churned, undefined when unusable. */
export function termLabel(contract: Contract, lapsedAsChurned = true): boolean | undefined {
  if (contract.outcome === 'renewed' || contract.outcome === 'expanded') return true;
  if (contract.outcome === 'churned') return false;
  if (contract.outcome === 'lapsed') return lapsedAsChurned ? false : undefined;
  return undefined;
}

/** Returns the instant a term ended: its outcome instant, or its renewal date when none was recorded. */
export function termEnd(contract: Contract): number {
  return contract.outcome_at ?? contract.renewal_at;
}

/**
 * Returns the weekly snapshot instants of a term while the account was still
 * in it: week w is `start + 7w days`, for w >= 1, before the term ended. A
 * churned account thus contributes only the weeks it was still a customer.
 */
export function weeklySnapshots(contract: Contract): { week: number; asOf: number }[] {
  const end = termEnd(contract);
  const snapshots: { week: number; asOf: number }[] = [];
  for (let week = 1; ; week += 1) {
    const asOf = contract.start_at + week * 7 * dayMs;
    if (asOf >= end || asOf > contract.renewal_at) break;
    snapshots.push({ week, asOf });
  }
  return snapshots;
}

/** Builds one sample per account week of every labelled past term in the history. */
export function collectOutcomeSamples(
  history: AccountHistory,
  signals: readonly string[],
  options: SampleOptions = {},
): OutcomeSample[] {
  const samples: OutcomeSample[] = [];
  for (const contract of history.contracts) {
    const renewed = termLabel(contract, options.lapsedAsChurned ?? true);
    if (renewed === undefined) continue;
    if (options.termsBefore !== undefined && termEnd(contract) >= options.termsBefore) continue;

    for (const { week, asOf } of weeklySnapshots(contract)) {
      const facts = computeSignals(history, asOf) as unknown as Record<string, unknown>;
      const values: Record<string, number | null> = {};
      for (const signal of signals) {
        const value = facts[signal];
        values[signal] = typeof value === 'number' ? value : null;
      }
      samples.push({ accountId: history.account.id, week, renewed, values });
    }
  }
  return samples;
}
