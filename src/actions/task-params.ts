/** Task priorities, lowest first. */
export const taskPriorities = ['low', 'medium', 'high', 'urgent'] as const;

/** Priority of a task whose action gives none. */
export const defaultTaskPriority = 'medium';

/** Days until a task is due when the action gives no `dueInDays`. */
export const defaultTaskDueDays = 7;

/** Reads a task action's `priority` param, or the reason it is invalid. */
export function readTaskPriority(value: unknown): string | { reason: string } {
  // "normal" is accepted as another name for the default priority.
  const priority = value === undefined || value === 'normal' ? defaultTaskPriority : value;
  if (typeof priority === 'string' && (taskPriorities as readonly string[]).includes(priority)) {
    return priority;
  }
  const expected = taskPriorities.join(', ');
  return {
    reason: `task priority ${JSON.stringify(priority)} is invalid: expected one of ${expected}`,
  };
}

/** Reads a task action's `dueInDays` param, or the reason it is invalid. */
export function readTaskDueInDays(value: unknown): number | { reason: string } {
  const days = value ?? defaultTaskDueDays;
  if (typeof days === 'number' && Number.isFinite(days) && days >= 0) return days;
  return {
    reason: `task dueInDays ${JSON.stringify(days)} is invalid: expected a number of days >= 0`,
  };
}
