import type { Account, Contract, EpochMs } from '../store/schema';
import { wholeDaysBetween } from './days';

/** Contract facts of one account as of one instant. */
export interface TermFacts {
  /** The current term, undefined before the first contract starts. */
  term: Contract | undefined;
  /** Start of the current term, or the account's creation before any term. */
  termStart: EpochMs;
  /** Stored term number of the current term, 0 before any term. */
  termNumber: number;
  /** Whole days since `termStart`, at least 0. */
  accountAgeDays: number;
  /** Whole days until the current term's renewal date, negative once passed, null without a term. */
  daysToRenewal: number | null;
  /** Contracted seats of the current term, null when unknown or not positive. */
  seats: number | null;
}

/**
 * Finds the current term: the contract with the latest `start_at` at or
 * before `asOf`, the higher term number winning a tie. Contracts that start
 * after `asOf` are invisible, whatever their term number.
 */
export function findCurrentTerm(
  contracts: readonly Contract[],
  asOf: EpochMs,
): Contract | undefined {
  let current: Contract | undefined;
  for (const contract of contracts) {
    if (contract.start_at > asOf) continue;
    const later =
      current === undefined ||
      contract.start_at > current.start_at ||
      (contract.start_at === current.start_at && contract.term_number > current.term_number);
    if (later) current = contract;
  }
  return current;
}

/** Computes the term facts of an account as of `asOf`. */
export function computeTermFacts(
  account: Account,
  contracts: readonly Contract[],
  asOf: EpochMs,
): TermFacts {
  const term = findCurrentTerm(contracts, asOf);
  const termStart = term?.start_at ?? account.created_at;
  const seats = term?.seats ?? null;
  return {
    term,
    termStart,
    termNumber: term?.term_number ?? 0,
    accountAgeDays: Math.max(0, wholeDaysBetween(termStart, asOf)),
    daysToRenewal: term ? wholeDaysBetween(asOf, term.renewal_at) : null,
    seats: seats !== null && seats > 0 ? seats : null,
  };
}
