import type { LifecycleView } from '../../../workflows/lifecycle-signals';

/** Minimum time between a signal the test sends and the workflow's next check timer. */
export const signalMarginMs = 60 * 60 * 1000;

/**
 * Throws unless the workflow's next check is at least `signalMarginMs` after
 * `now`, or none is scheduled (a paused workflow has no check timer).
 *
 * A signal wakes the workflow early, so its workflow task cancels the check
 * timer. When that timer fires while the task is with the worker, the
 * time-skipping test server of @temporalio/testing 1.24 rejects the completion
 * with "invalid history builder state for action" and never retries the task
 * (temporalio/sdk-java#2606). The workflow stays stuck, time skipping stays
 * locked and the next `env.sleep` never returns. That issue reports that the
 * real server accepts the same completion and drops the buffered timer event.
 */
export function expectNoCheckWithinMargin(view: LifecycleView, now: number): void {
  if (view.nextCheckAt === null) return;
  const gap = view.nextCheckAt - now;
  if (gap < signalMarginMs) {
    throw new Error(
      `next check is ${gap} ms away, within the ${signalMarginMs} ms margin kept for signals. ` +
        'Move the preceding env.sleep so that it ends between two checks.',
    );
  }
}

/**
 * Rejects when `work` has not settled within `timeoutMs` of real time, naming
 * the step, so a stuck workflow fails the test at once instead of running into
 * Jest's timeout with the worker still running.
 */
export async function withinTimeout<T>(
  step: string,
  timeoutMs: number,
  work: Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${step} timed out after ${timeoutMs} ms of real time`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
