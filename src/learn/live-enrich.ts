import type { Logger } from 'pino';
import type { Store } from '../store/database';
import { loadAdoptionIndex } from './adoption-from-store';
import { loadBenchmarkSet } from './benchmark-store';
import { createEnrich, type EnrichFacts } from './enrich';

/** Learned facts for live checks, kept current by reloading from the store. */
export interface LiveEnrich {
  /** The enrich step to hand to the signals; it always uses the latest loaded data. */
  enrich: EnrichFacts;
  /** Reloads the latest benchmark set and the adoption order as of now. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Loads the latest benchmark set and adoption order once and again every
 * `refreshMs`, so live checks see a newly learned set and new first uses of
 * features without a restart. A failed reload keeps the previous data.
 */
export async function startLiveEnrich(
  store: Store,
  logger: Logger,
  options: { refreshMs?: number; now?: () => number } = {},
): Promise<LiveEnrich> {
  const now = options.now ?? Date.now;
  let current: EnrichFacts = createEnrich({});

  const refresh = async (): Promise<void> => {
    const benchmarks = await loadBenchmarkSet(store);
    const adoption = await loadAdoptionIndex(store, now());
    current = createEnrich({ adoption, ...(benchmarks ? { benchmarks } : {}) });
    logger.info({ benchmarkVersion: benchmarks?.version ?? null }, 'learned facts loaded');
  };
  await refresh();

  const timer = setInterval(() => {
    refresh().catch((error: unknown) => {
      logger.error({ err: error }, 'reloading learned facts failed; keeping the previous ones');
    });
  }, options.refreshMs ?? 3_600_000);
  timer.unref();

  return {
    enrich: (facts, history, asOf) => current(facts, history, asOf),
    refresh,
    stop: () => clearInterval(timer),
  };
}
