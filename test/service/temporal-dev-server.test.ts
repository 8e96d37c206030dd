import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { silentLogger } from '../../src/logger';
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
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-dev-server-'));
    const port = await freePort();
    const first = await startDevServer({
      dataDir,
      port,
      uiPort: await freePort(),
      namespace: 'default',
      logger: silentLogger,
    });
    try {
      await expect(
        startDevServer({
          dataDir,
          port,
          uiPort: await freePort(),
          namespace: 'default',
          logger: silentLogger,
        }),
      ).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await first.stop();
    }
  });
});
