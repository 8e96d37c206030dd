import type { Logger } from '../logger';
import type { Store } from '../store/database';
import { accountWorkflowId } from '../temporal/client';
import { forEachLimited } from './workflow-notifier';

/** Ensure calls in flight at once, so start-up does not flood the Temporal frontend. */
const reconcileConcurrency = 20;

/** A start-up pass that ensures the workflow of every stored account. */
export interface Reconciliation {
  /** Promise that resolves when the pass has finished, failed or stopped. It never rejects. */
  done: Promise<void>;
  /** Starts no further ensure calls and resolves once the calls in flight have settled. */
  stop(): Promise<void>;
}

/** Dependencies of a reconciliation pass. */
export interface ReconcileDeps {
  store: Store;
  /** Ensures one account's workflow exists, leaving a running one as it is. */
  ensure(accountId: string): Promise<void>;
  /** Lists the workflow ids already running; their accounts need no call. */
  listRunning?(): Promise<Set<string>>;
  logger: Logger;
}

/** Returns the running workflow ids, or none when the listing fails, so every account is ensured. */
async function runningOrNone(deps: ReconcileDeps): Promise<Set<string>> {
  if (!deps.listRunning) return new Set();
  try {
    return await deps.listRunning();
  } catch (error) {
    deps.logger.warn(
      { err: error },
      'listing running account workflows failed; ensuring every account',
    );
    return new Set();
  }
}

/**
 * Ensures the workflow of every stored account, so a restart or a lost
 * signal leaves none out. A shutdown stops the pass between calls, and it
 * logs at info how far it got instead of failing on a closed connection.
 */
export function startReconciliation(deps: ReconcileDeps): Reconciliation {
  const { store, ensure, logger } = deps;
  let stopping = false;
  let ensured = 0;
  let total = 0;
  let alreadyRunning = 0;

  const run = async () => {
    const accounts = await store.db.selectFrom('accounts').select('id').execute();
    total = accounts.length;
    const running = await runningOrNone(deps);
    const missing = accounts.filter(({ id }) => !running.has(accountWorkflowId(id)));
    alreadyRunning = total - missing.length;
    ensured = alreadyRunning;
    await forEachLimited(missing, reconcileConcurrency, async ({ id }) => {
      if (stopping) return;
      await ensure(id);
      ensured += 1;
    });
  };

  const done = run().then(
    () => {
      if (stopping && ensured < total) {
        logger.info(
          { ensured, accounts: total },
          'account workflow reconciliation cut short by shutdown',
        );
      } else {
        logger.info({ accounts: total, alreadyRunning }, 'account workflows ensured');
      }
    },
    (error: unknown) => {
      if (stopping) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.info(
          { ensured, accounts: total, reason },
          'account workflow reconciliation cut short by shutdown',
        );
      } else {
        logger.error(
          { err: error, ensured, accounts: total },
          'ensuring account workflows at start-up failed',
        );
      }
    },
  );

  return {
    done,
    stop: () => {
      stopping = true;
      return done;
    },
  };
}
