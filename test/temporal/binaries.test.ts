import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ephemeralServerExecutable, findTemporalBinary } from '../../src/temporal/binaries';

function makeExecutable(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('findTemporalBinary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-bin-'));

  it('prefers the environment variable', () => {
    const path = makeExecutable(dir, 'my-temporal');
    expect(findTemporalBinary('temporal', { TEMPORAL_CLI_PATH: path, PATH: '' })).toBe(path);
  });

  it('rejects a variable that is not executable', () => {
    expect(() =>
      findTemporalBinary('temporal-test-server', {
        TEMPORAL_TEST_SERVER_PATH: join(dir, 'missing'),
      }),
    ).toThrow(/TEMPORAL_TEST_SERVER_PATH=.*missing is not an executable file/);
  });

  it('finds the installed binary in .temporal/bin', () => {
    expect(findTemporalBinary('temporal', { PATH: '' })).toMatch(/\.temporal\/bin\/temporal$/);
  });
});

describe('ephemeralServerExecutable', () => {
  it('hands an installed binary over as existing-path', () => {
    expect(ephemeralServerExecutable('temporal-test-server', { PATH: '' }).type).toBe(
      'existing-path',
    );
  });
});
