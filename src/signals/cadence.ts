import type { UserCadence } from './catalog';
import type { EpochDay, EpochMs, User } from '../store/schema';
import { toEpochDay } from '../store/time';
import { countBits } from './usage';

/**
 * Active days per week expected from a user of each role: a payroll admin who
 * logs in weekly is fully adopted, an analyst is expected most working days.
 */
export const defaultRoleCadence: Readonly<Record<string, number>> = {
  admin: 1,
  payroll_admin: 1,
  manager: 2,
  user: 3,
  analyst: 4,
};

/** Active days per week expected from a role missing from the cadence map. */
export const defaultUnknownRoleCadence = 2;

/** Days, counting the asOf day, over which a user's active days per week are measured. */
export const cadenceWindowDays = 28;

/** Overrides of the expected cadence. Each entry replaces the default for its role. */
export interface CadenceOptions {
  roleCadence?: Readonly<Record<string, number>>;
  unknownRoleCadence?: number;
}

/** Per-user activity up to the asOf day, as `summarizeUsage` gathers it. */
export interface UserActivity {
  /** Bit `n` set when the user was active `n` days before the asOf day. */
  activeDaysLast28ByUser: ReadonlyMap<string, number>;
  firstActiveDayByUser: ReadonlyMap<string, EpochDay>;
}

/** Cadence facts of one account as of one instant. */
export interface CadenceFacts {
  userCadence: UserCadence[];
  usersBelowCadence: number;
  cadenceAttainment: number | null;
}

/** Returns the expected active days per week for `role`, overrides first. */
export function expectedCadence(role: string, options: CadenceOptions = {}): number {
  // hasOwn, so roles such as "constructor" never reach Object.prototype.
  if (options.roleCadence && Object.hasOwn(options.roleCadence, role)) {
    return options.roleCadence[role] as number;
  }
  if (Object.hasOwn(defaultRoleCadence, role)) return defaultRoleCadence[role] as number;
  return options.unknownRoleCadence ?? defaultUnknownRoleCadence;
}

/**
 * Measures each user's active days per week over the last 28 UTC days
 * (`asOfDay - 27 .. asOfDay`) against the cadence of the user's role.
 *
 * A user exists from `created_at` or from the first active day, whichever is
 * earlier, because importers may stamp `created_at` with the import time.
 * Users that do not exist by `asOf` are left out. For a user who appeared
 * inside the window, the window starts on that day but counts at least 7
 * days, so a new user is neither judged on weeks before joining nor on one day.
 */
export function computeCadenceFacts(
  users: readonly User[],
  usage: UserActivity,
  asOf: EpochMs,
  options: CadenceOptions = {},
): CadenceFacts {
  const asOfDay = toEpochDay(asOf);
  const userCadence: UserCadence[] = [];
  for (const user of users) {
    const firstDay = firstExistingDay(user, usage.firstActiveDayByUser.get(user.id), asOf);
    if (firstDay === undefined) continue;
    const windowDays = Math.max(7, Math.min(cadenceWindowDays, asOfDay - firstDay + 1));
    const windowMask = (1 << windowDays) - 1;
    const activeDays = countBits((usage.activeDaysLast28ByUser.get(user.id) ?? 0) & windowMask);
    const activeDaysPerWeek = (activeDays * 7) / windowDays;
    const expectedDaysPerWeek = expectedCadence(user.role, options);
    userCadence.push({
      userId: user.id,
      role: user.role,
      activeDaysPerWeek,
      expectedDaysPerWeek,
      meetsCadence: activeDaysPerWeek >= expectedDaysPerWeek,
    });
  }

  const meeting = userCadence.filter((entry) => entry.meetsCadence).length;
  return {
    userCadence,
    usersBelowCadence: userCadence.length - meeting,
    cadenceAttainment: userCadence.length === 0 ? null : meeting / userCadence.length,
  };
}

/** Returns the first day the user existed as of `asOf`, or undefined when not yet. */
function firstExistingDay(
  user: User,
  firstActiveDay: EpochDay | undefined,
  asOf: EpochMs,
): EpochDay | undefined {
  const createdDay = user.created_at <= asOf ? toEpochDay(user.created_at) : undefined;
  if (createdDay === undefined) return firstActiveDay;
  if (firstActiveDay === undefined) return createdDay;
  return Math.min(createdDay, firstActiveDay);
}
