import { proxyActivities, sleep } from '@temporalio/workflow';
import type * as activities from './baseline-activities';

const { touch } = proxyActivities<typeof activities>({ startToCloseTimeout: '20 seconds' });

/**
 * Runs the baseline loop: wait until `intervalMs` after the previous round
 * started, call one activity, repeat. The account workflow schedules its
 * checks the same way, so both pay for the same timers.
 */
export async function timerActivityLoop(intervalMs: number, rounds: number): Promise<number> {
  let startedAt = new Date().getTime() - intervalMs;
  for (let round = 0; round < rounds; round += 1) {
    const wait = startedAt + intervalMs - new Date().getTime();
    if (wait > 0) await sleep(wait);
    startedAt = new Date().getTime();
    await touch(round);
  }
  return rounds;
}
