import type { DecisionPolicy, SentRecord } from './types';

const dayMs = 86_400_000;

/**
 * Returns why one more message to `userId` at `at` would break a frequency
 * cap, or undefined when it fits. Counts every email and in-app notice of
 * every rule, including those planned earlier in the same check.
 */
export function capReason(
  sent: SentRecord[],
  userId: string,
  at: number,
  policy: DecisionPolicy,
): string | undefined {
  const userWindow = at - policy.perUserCap.windowDays * dayMs;
  const toUser = sent.filter((record) => record.userId === userId && record.at > userWindow);
  if (toUser.length >= policy.perUserCap.max) {
    return `user cap of ${policy.perUserCap.max} per ${policy.perUserCap.windowDays} days reached`;
  }

  const accountWindow = at - policy.perAccountCap.windowDays * dayMs;
  const toAccount = sent.filter((record) => record.at > accountWindow);
  if (toAccount.length >= policy.perAccountCap.max) {
    return `account cap of ${policy.perAccountCap.max} per ${policy.perAccountCap.windowDays} days reached`;
  }
  return undefined;
}

/** Drops records older than every cap window, so the state stays small. */
export function pruneSent(sent: SentRecord[], now: number, policy: DecisionPolicy): SentRecord[] {
  const longest = Math.max(policy.perUserCap.windowDays, policy.perAccountCap.windowDays);
  const oldest = now - longest * dayMs;
  return sent.filter((record) => record.at > oldest);
}
