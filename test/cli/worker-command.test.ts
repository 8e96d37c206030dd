import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NativeConnection } from '@temporalio/worker';
import { createWorker } from '../../src/temporal/worker';
import { createRecordingDelivery } from '../workflows/helpers/recording-delivery';
import { openTempStore } from '../workflows/helpers/account-store';

const bin = resolve(__dirname, '../../bin/uptake.js');

describe('uptake worker', () => {
  it('names an unreachable Temporal address', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-worker-cli-'));
    // Port 1 on loopback normally has no listener, so the connection is refused at once.
    const run = spawnSync(process.execPath, [bin, 'worker', '--address', '127.0.0.1:1'], {
      encoding: 'utf8',
      env: { ...process.env, UPTAKE_DATA_DIR: dataDir, LOG_LEVEL: 'error' },
      timeout: 60_000,
    });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cannot reach the Temporal server at 127.0.0.1:1');
  });

  it('rejects a missing rules folder', async () => {
    const temp = await openTempStore();
    try {
      const starting = createWorker({
        // Never used: the rules folder is checked before the worker connects.
        connection: {} as NativeConnection,
        store: temp.store,
        rulesDir: join(tmpdir(), 'uptake-no-such-rules'),
        delivery: createRecordingDelivery().activities,
      });
      await expect(starting).rejects.toThrow(/rules folder not found at .*uptake-no-such-rules/);
    } finally {
      await temp.cleanup();
    }
  });
});
