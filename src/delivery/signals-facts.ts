import { computeSignals, type SignalOptions } from '../signals/compute';
import { loadAccountHistory } from '../signals/history';
import type { FactsLoader } from './config';

/**
 * Creates a facts loader over the signals module: the account's stored
 * history, computed as of the requested instant with the given options.
 */
export function createSignalsFactsLoader(options: SignalOptions = {}): FactsLoader {
  return async (store, accountId, asOf) => {
    const history = await loadAccountHistory(store, accountId);
    return history ? computeSignals(history, asOf, options) : undefined;
  };
}
