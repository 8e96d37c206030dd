import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/** Installs the Temporal runtime once per process with WARN logging, so test output stays readable. */
export function installQuietRuntime(): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Another test file in this process installed it first; its logger stays.
  }
}
