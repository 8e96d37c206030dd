/**
 * Runs `step` as soon as `ready()` returns true, checking again every
 * millisecond. The check and the step run in the same turn, so nothing else
 * can change what `ready` saw in between.
 */
export function whenReady(ready: () => boolean, step: () => void): void {
  if (ready()) step();
  else setTimeout(() => whenReady(ready, step), 1);
}
