import type { Client } from '@temporalio/client';

/** Visibility query of the account workflows that are running now. */
const runningQuery = "WorkflowType = 'accountLifecycle' AND ExecutionStatus = 'Running'";

/**
 * Lists the ids of running account workflows through Temporal visibility,
 * a few paged calls in place of one signal-with-start per account.
 * NOTE: visibility lags the workflows by up to a second or so (an estimate),
 * so a workflow that closed just before start-up may still be listed.
 */
export async function listRunningAccountWorkflows(client: Client): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const execution of client.workflow.list({ query: runningQuery })) {
    ids.add(execution.workflowId);
  }
  return ids;
}
