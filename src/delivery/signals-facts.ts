import { accountStart } from '../signals/account-start';
import { computeSignals, type SignalOptions } from '../signals/compute';
import { loadAccountHistory } from '../signals/history';
import type { FactsLoader } from './config';

/**
 * Creates a facts loader over the signals module: the account's stored
 * history, computed as of the requested instant with the given options. An
 * instant before the account's stored creation reads the facts as of the
 * creation, as live checks do, so such a message still renders.
 */
export function createSignalsFactsLoader(options: SignalOptions = {}): FactsLoader {
  return async (store, accountId, asOf) => {
    const history = await loadAccountHistory(store, accountId);
    if (!history) return undefined;
    return computeSignals(history, Math.max(asOf, accountStart(history)), options);
  };
}
