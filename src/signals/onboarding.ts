import type { EpochMs, Goal, Milestone } from '../store/schema';
import { wholeDaysBetween } from './days';

/** Onboarding and value facts of one account as of one instant. */
export interface OnboardingFacts {
  onboardingCompletion: number;
  overdueMilestones: number;
  daysToOnboard: number | null;
  goalsMet: number;
  daysToValue: number | null;
}

/** True when the instant is set and not later than `asOf`. */
function happenedBy(instant: EpochMs | null, asOf: EpochMs): instant is EpochMs {
  return instant !== null && instant <= asOf;
}

/**
 * Computes milestone and goal facts over all milestones and goals of the
 * account. A completion or a goal met after `asOf` has not happened yet.
 *
 * - `onboardingCompletion`: milestones completed by `asOf` / all milestones;
 *   0 when the account has no milestones.
 * - `overdueMilestones`: milestones with `due_at < asOf` not completed by `asOf`.
 * - `daysToOnboard`: whole days from the term start to the last completion,
 *   once every milestone is completed by `asOf`. It is null while one is open
 *   or when there are none, and a completion before the term start is day 0.
 * - `goalsMet`: goals met by `asOf`.
 * - `daysToValue`: whole days from the term start to the first goal met by
 *   `asOf`, at least 0; null while none is met.
 */
export function computeOnboardingFacts(
  milestones: readonly Milestone[],
  goals: readonly Goal[],
  termStart: EpochMs,
  asOf: EpochMs,
): OnboardingFacts {
  let completed = 0;
  let overdue = 0;
  let lastCompletion = -Infinity;
  for (const milestone of milestones) {
    if (happenedBy(milestone.completed_at, asOf)) {
      completed += 1;
      lastCompletion = Math.max(lastCompletion, milestone.completed_at);
    } else if (milestone.due_at !== null && milestone.due_at < asOf) {
      overdue += 1;
    }
  }

  let goalsMet = 0;
  let firstGoalMet = Infinity;
  for (const goal of goals) {
    if (!happenedBy(goal.met_at, asOf)) continue;
    goalsMet += 1;
    firstGoalMet = Math.min(firstGoalMet, goal.met_at);
  }

  const allCompleted = milestones.length > 0 && completed === milestones.length;
  return {
    onboardingCompletion: milestones.length === 0 ? 0 : completed / milestones.length,
    overdueMilestones: overdue,
    daysToOnboard: allCompleted ? Math.max(0, wholeDaysBetween(termStart, lastCompletion)) : null,
    goalsMet,
    daysToValue: goalsMet > 0 ? Math.max(0, wholeDaysBetween(termStart, firstGoalMet)) : null,
  };
}
