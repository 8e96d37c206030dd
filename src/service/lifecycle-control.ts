import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { LifecycleCommand, LifecycleControl } from '../api/ports';
import {
  accountSignals,
  accountWorkflowId,
  ensureAccountWorkflow,
  queryAccountState,
} from '../temporal/client';
import { explainTemporalFailure } from './temporal-errors';

/** Settings of createLifecycleControl. */
export interface LifecycleControlOptions {
  /** Temporal frontend address, named in errors. */
  address: string;
  taskQueue: string;
  /**
   * When true, a signal starts the workflow if none runs (signal-with-start).
   * Set it only where the caller has checked that the account is stored.
   */
  startMissing: boolean;
  /** Requester named in the reason of a recheck, such as "the HTTP API". */
  source: string;
  /** Deadline of each Temporal call in milliseconds; default 10 s. */
  timeoutMs?: number;
}

/**
 * Creates the pause, resume, recheck and state calls on account workflows.
 * Each signal carries a fresh id, so the workflow applies it once even when
 * Temporal delivers it twice. Transport failures become TemporalUnavailableError.
 */
export function createLifecycleControl(
  client: Client,
  options: LifecycleControlOptions,
): LifecycleControl {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await client.connection.withDeadline(Date.now() + timeoutMs, work);
    } catch (error) {
      throw explainTemporalFailure(error, options.address, options.taskQueue);
    }
  };

  return {
    sendSignal: (accountId, command) =>
      call(async () => {
        const payload = signalPayload(accountId, command, options.source);
        if (options.startMissing) {
          await ensureAccountWorkflow(client, accountId, {
            taskQueue: options.taskQueue,
            signal: command,
            payload,
          });
          return true;
        }
        return signalRunning(client, accountId, command, payload);
      }),
    readState: (accountId) =>
      call(async () => {
        try {
          return await queryAccountState(client, accountId);
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return undefined;
          throw error;
        }
      }),
  };
}

function signalPayload(accountId: string, command: LifecycleCommand, source: string) {
  const id = `${command}:${accountId}:${randomUUID()}`;
  return command === 'recheck' ? { id, reason: `recheck requested by ${source}` } : { id };
}

/** Signals the running workflow; returns false when none runs for the account. */
async function signalRunning(
  client: Client,
  accountId: string,
  command: LifecycleCommand,
  payload: { id: string },
): Promise<boolean> {
  try {
    await client.workflow
      .getHandle(accountWorkflowId(accountId))
      .signal(accountSignals[command], payload);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
