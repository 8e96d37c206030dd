import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import type { accountLifecycle, AccountLifecycleInput } from '../../workflows/account-lifecycle';
import {
  contractChangedSignal,
  ensureSignal,
  milestoneCompletedSignal,
  pauseSignal,
  recheckSignal,
  resumeSignal,
  stateQuery,
  type LifecycleView,
  type SignalEnvelope,
} from '../../workflows/lifecycle-signals';

/** Task queue of the account workflows and their activities. */
export const defaultTaskQueue = 'uptake';

/** Temporal frontend address used when TEMPORAL_ADDRESS is unset. */
export const defaultTemporalAddress = 'localhost:7233';

/** Returns the workflow id of an account's lifecycle workflow. */
export function accountWorkflowId(accountId: string): string {
  return `account-${accountId}`;
}

/** Signals an account workflow accepts, by name. */
export const accountSignals = {
  ensure: ensureSignal,
  contractChanged: contractChangedSignal,
  milestoneCompleted: milestoneCompletedSignal,
  recheck: recheckSignal,
  pause: pauseSignal,
  resume: resumeSignal,
} as const;

export type AccountSignalName = keyof typeof accountSignals;

/** Options of ensureAccountWorkflow. */
export interface EnsureOptions {
  taskQueue?: string;
  /** Signal delivered with the start; `ensure` (the default) changes nothing in a running workflow. */
  signal?: AccountSignalName;
  payload?: SignalEnvelope & Record<string, unknown>;
  /** Input of a newly started workflow beyond the account id (cadence overrides, test knobs). */
  input?: Omit<AccountLifecycleInput, 'accountId'>;
}

/**
 * Starts the account's workflow if it is not running and delivers one signal
 * to it, in one signal-with-start call. A workflow that is already running is
 * success: it just receives the signal.
 */
export async function ensureAccountWorkflow(
  client: Client,
  accountId: string,
  options: EnsureOptions = {},
): Promise<WorkflowHandle<typeof accountLifecycle>> {
  const workflowId = accountWorkflowId(accountId);
  const signal = accountSignals[options.signal ?? 'ensure'];
  try {
    return await client.workflow.signalWithStart<typeof accountLifecycle, [SignalEnvelope]>(
      'accountLifecycle',
      {
        workflowId,
        taskQueue: options.taskQueue ?? defaultTaskQueue,
        args: [{ accountId, ...options.input }],
        signal,
        signalArgs: [options.payload ?? {}],
      },
    );
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      return client.workflow.getHandle<typeof accountLifecycle>(workflowId);
    }
    throw error;
  }
}

/** Reads the lifecycle state of an account's running workflow. */
export async function queryAccountState(client: Client, accountId: string): Promise<LifecycleView> {
  return client.workflow.getHandle(accountWorkflowId(accountId)).query(stateQuery);
}

/** Connects a client to the Temporal frontend at `address` (default TEMPORAL_ADDRESS or localhost:7233). */
export async function connectClient(
  address = process.env.TEMPORAL_ADDRESS ?? defaultTemporalAddress,
  namespace = process.env.TEMPORAL_NAMESPACE ?? 'default',
): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}
