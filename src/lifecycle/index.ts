/** The lifecycle decision core: pure functions shared by the workflow and the backtest. */
export { decide } from './decide';
export { nextCheckAt } from './cadence';
export { initialState, applyTransition, decideTransition, daysToRenewal } from './stages';
export { defaultPolicy, resolvePolicy } from './policy';
export { isHeldOut, holdoutPosition } from './holdout';
export { quietHoursEnd, localMinuteOfDay } from './quiet-hours';
export type * from './types';
