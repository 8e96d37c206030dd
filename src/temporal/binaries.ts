import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';

/** Folder that scripts/install-temporal.sh installs the Temporal binaries into. */
export const installedBinDir = resolve(__dirname, '..', '..', '.temporal', 'bin');

/** A Temporal server binary: the CLI (dev server) or the time-skipping test server. */
export type TemporalBinary = 'temporal' | 'temporal-test-server';

const environmentVariables: Record<TemporalBinary, string> = {
  temporal: 'TEMPORAL_CLI_PATH',
  'temporal-test-server': 'TEMPORAL_TEST_SERVER_PATH',
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a Temporal binary: first the path in its environment variable
 * (TEMPORAL_CLI_PATH or TEMPORAL_TEST_SERVER_PATH), then .temporal/bin of this
 * checkout, then PATH. Returns undefined when none is executable.
 */
export function findTemporalBinary(
  binary: TemporalBinary,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const fromEnv = env[environmentVariables[binary]];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(
        `${environmentVariables[binary]}=${fromEnv} is not an executable file; ` +
          'unset it or point it at the binary installed by `npm run temporal:install`',
      );
    }
    return fromEnv;
  }
  const candidates = [installedBinDir, ...(env.PATH ?? '').split(delimiter).filter(Boolean)];
  return candidates.map((dir) => join(dir, binary)).find(isExecutable);
}

/**
 * Builds the executable option for @temporalio/testing: an installed binary as
 * `existing-path`, or the SDK's own download when no binary is found (that
 * route needs internet access).
 */
export function ephemeralServerExecutable(
  binary: TemporalBinary,
  env: NodeJS.ProcessEnv = process.env,
): EphemeralServerExecutable {
  const path = findTemporalBinary(binary, env);
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}
