import type { EpochMs } from '../store/schema';
import { dayMs } from '../store/time';

/**
 * Returns the whole days elapsed from `from` to `to`, rounded down, so it is
 * negative when `to` is earlier: 23 hours give 0 and minus one hour gives -1.
 */
export function wholeDaysBetween(from: EpochMs, to: EpochMs): number {
  return Math.floor((to - from) / dayMs);
}
