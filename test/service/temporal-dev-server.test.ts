import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { silentLogger } from '../../src/logger';
import { recordPath, stopOrphanedDevServer } from '../../src/service/dev-server-record';
import { startDevServer } from '../../src/service/temporal-dev-server';
import { freePort } from './free-port';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startDevServer', () => {
  it('serves, keeps state on disk, and stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-dev-server-'));
    const port = await freePort();
    const server = await startDevServer({
      dataDir,
      port,
      uiPort: await freePort(),
      namespace: 'uptake-test',
      logger: silentLogger,
    });
    try {
      const connection = await Connection.connect({ address: server.address });
      const client = new Client({ connection, namespace: 'uptake-test' });
      const workflows = client.workflow.list();
      expect(await workflows[Symbol.asyncIterator]().next()).toEqual({
        done: true,
        value: undefined,
      });
      await connection.close();
      expect(existsSync(join(dataDir, 'temporal.sqlite'))).toBe(true);
    } finally {
      await server.stop();
    }
    expect(await accepts(port)).toBe(false);
  });

  it('rejects a port in use', async () => {
    const port = await freePort();
    const first = await startDevServer({
      dataDir: mkdtempSync(join(tmpdir(), 'uptake-dev-server-')),
      port,
      uiPort: await freePort(),
      namespace: 'default',
      logger: silentLogger,
    });
    try {
      const second = startDevServer({
        dataDir: mkdtempSync(join(tmpdir(), 'uptake-dev-server-')),
        port,
        uiPort: await freePort(),
        namespace: 'default',
        logger: silentLogger,
      });
      await expect(second).rejects.toThrow(
        `port ${port} on 127.0.0.1 (TEMPORAL_DEV_PORT) is already in use: stop that process, ` +
          'set TEMPORAL_DEV_PORT to a free port',
      );
    } finally {
      await first.stop();
    }
  });

  it('names its own server on the port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-dev-server-'));
    const port = await freePort();
    const first = await startDevServer({
      dataDir,
      port,
      uiPort: await freePort(),
      namespace: 'default',
      logger: silentLogger,
    });
    // Without the record, as after an older version, only the port check can find it.
    rmSync(recordPath(dataDir));
    try {
      const second = startDevServer({
        dataDir,
        port,
        uiPort: await freePort(),
        namespace: 'default',
        logger: silentLogger,
      });
      const message = await second.then(
        () => '',
        (error: Error) => error.message,
      );
      expect(message).toContain(`by a Temporal dev server (pid `);
      expect(message).toContain(`on this data folder's ${join(dataDir, 'temporal.sqlite')}`);
      expect(message).not.toContain('TEMPORAL_DEV_PORT to a free port');
    } finally {
      await first.stop();
    }
  });

  it('removes its record on stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-dev-server-'));
    const server = await startDevServer({
      dataDir,
      port: await freePort(),
      uiPort: await freePort(),
      namespace: 'default',
      logger: silentLogger,
    });
    expect(existsSync(recordPath(dataDir))).toBe(true);
    await server.stop();
    expect(existsSync(recordPath(dataDir))).toBe(false);
  });
});

describe('stopOrphanedDevServer', () => {
  it('never signals an unmatched process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-dev-server-'));
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(
        recordPath(dataDir),
        JSON.stringify({
          pid: other.pid,
          binary: 'sleep',
          dbFile: join(dataDir, 'temporal.sqlite'),
          ownerPid: 999_999,
        }),
      );
      await stopOrphanedDevServer(dataDir, silentLogger);
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
      expect(existsSync(recordPath(dataDir))).toBe(false);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
