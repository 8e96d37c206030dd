import type { Client } from '@temporalio/client';
import type { WorkflowNotifier } from '../api/ports';
import type { Logger } from '../logger';
import { ensureAccountWorkflow, type EnsureOptions } from '../temporal/client';

/** Signal-with-start calls in flight at once, so a large batch does not flood the frontend. */
const concurrency = 16;

/** Runs `task` over `items` with at most `limit` running at once. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(workers);
}

/**
 * Creates the notifier that starts each account's workflow (signal-with-start,
 * so a running one is left alone) and signals contract changes and milestone
 * completions. Signal ids let the workflow drop a signal delivered twice.
 */
export function createWorkflowNotifier(
  client: Client,
  taskQueue: string,
  logger: Logger,
): WorkflowNotifier {
  const ensure = async (accountId: string, options: EnsureOptions) => {
    await ensureAccountWorkflow(client, accountId, { taskQueue, ...options });
    logger.debug({ accountId, signal: options.signal ?? 'ensure' }, 'account workflow signalled');
  };
  return {
    accountsUpserted: (accountIds) =>
      forEachLimited(accountIds, concurrency, (id) => ensure(id, {})),
    contractsChanged: (accountIds) => {
      const at = Date.now();
      return forEachLimited(accountIds, concurrency, (id) =>
        ensure(id, { signal: 'contractChanged', payload: { id: `contract:${id}:${at}` } }),
      );
    },
    milestonesCompleted: (rows) =>
      forEachLimited(rows, concurrency, (row) =>
        ensure(row.accountId, {
          signal: 'milestoneCompleted',
          payload: {
            id: `milestone:${row.accountId}:${row.key}:${row.completedAt}`,
            milestoneKey: row.key,
          },
        }),
      ),
  };
}
