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
 * Returns true for a milestone that defines onboarding: key `onboarding`, or a
 * key starting with `onboarding:` when an account has several such steps.
 *
 * NOTE: the kind is read from the key because the milestones table has no
 * kind column, so importers and API callers mark onboarding milestones by key.
 */
export function isOnboardingMilestone(milestone: Pick<Milestone, 'key'>): boolean {
  return milestone.key === 'onboarding' || milestone.key.startsWith('onboarding:');
}

/**
 * Computes milestone and goal facts of the account. A completion or a goal
 * met after `asOf` has not happened yet. The onboarding milestones are those
 * that `isOnboardingMilestone` accepts, or every milestone when the account
 * has none of those. So an account can keep later milestones (course
 * assessments, say) apart from the ones that end onboarding.
 *
 * - `onboardingCompletion`: onboarding milestones completed by `asOf` / all
 *   onboarding milestones; 0 when the account has no milestones.
 * - `overdueMilestones`: milestones of any kind with `due_at < asOf` not
 *   completed by `asOf`.
 * - `daysToOnboard`: whole days from the term start to the last completion,
 *   once every onboarding milestone is completed by `asOf`. It is null while
 *   one is open or when there are none, and a completion before the term
 *   start is day 0.
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
  const onboarding = onboardingMilestones(milestones);
  let completed = 0;
  let lastCompletion = -Infinity;
  for (const milestone of onboarding) {
    if (!happenedBy(milestone.completed_at, asOf)) continue;
    completed += 1;
    lastCompletion = Math.max(lastCompletion, milestone.completed_at);
  }

  let overdue = 0;
  for (const milestone of milestones) {
    const open = !happenedBy(milestone.completed_at, asOf);
    if (open && milestone.due_at !== null && milestone.due_at < asOf) overdue += 1;
  }

  let goalsMet = 0;
  let firstGoalMet = Infinity;
  for (const goal of goals) {
    if (!happenedBy(goal.met_at, asOf)) continue;
    goalsMet += 1;
    firstGoalMet = Math.min(firstGoalMet, goal.met_at);
  }

  const allCompleted = onboarding.length > 0 && completed === onboarding.length;
  return {
    onboardingCompletion: onboarding.length === 0 ? 0 : completed / onboarding.length,
    overdueMilestones: overdue,
    daysToOnboard: allCompleted ? Math.max(0, wholeDaysBetween(termStart, lastCompletion)) : null,
    goalsMet,
    daysToValue: goalsMet > 0 ? Math.max(0, wholeDaysBetween(termStart, firstGoalMet)) : null,
  };
}

function onboardingMilestones(milestones: readonly Milestone[]): readonly Milestone[] {
  const flagged = milestones.filter(isOnboardingMilestone);
  return flagged.length > 0 ? flagged : milestones;
}
