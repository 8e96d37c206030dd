import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../logger';
import { findTemporalBinary } from '../temporal/binaries';
import {
  findDevServersOn,
  removeRecord,
  stopOrphanedDevServer,
  writeRecord,
} from './dev-server-record';

/** Settings for the Temporal CLI dev server that `uptake serve` starts itself. */
export interface DevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  logger: Logger;
  /** How long to wait for the frontend to accept connections, in milliseconds. */
  startTimeoutMs?: number;
}

/** A running dev server: its gRPC address, Web UI URL and a stop function. */
export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

const loopback = '127.0.0.1';

/**
 * Starts `temporal server start-dev` with its state in <dataDir>/temporal.sqlite,
 * so workflows survive a restart, and waits until its frontend accepts TCP
 * connections. Rejects with the reason when the binary is missing, the port is
 * taken or the server exits early.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const binary = findTemporalBinary('temporal');
  if (!binary) {
    throw new Error(
      'Temporal CLI not found: run `npm run temporal:install`, set TEMPORAL_CLI_PATH, ' +
        'or set TEMPORAL_ADDRESS to use a running Temporal server',
    );
  }
  mkdirSync(options.dataDir, { recursive: true });
  await stopOrphanedDevServer(options.dataDir, options.logger);
  if (await isPortOpen(options.port)) throw portInUse(options);

  const dbFile = devServerDbFile(options.dataDir);
  const child = spawn(binary, devServerArguments(options), { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.logger.child({ component: 'temporal-dev-server', devServerPid: child.pid });
  forwardOutput(child, log);
  if (child.pid !== undefined) {
    writeRecord(options.dataDir, { pid: child.pid, binary, dbFile, ownerPid: process.pid });
  }

  await waitForPort(child, options.port, options.startTimeoutMs ?? 30_000);
  const server = {
    address: `${loopback}:${options.port}`,
    uiUrl: `http://${loopback}:${options.uiPort}`,
    stop: () => stopChild(child, log).then(() => removeRecord(options.dataDir)),
  };
  log.info({ address: server.address, uiUrl: server.uiUrl }, 'Temporal dev server ready');
  return server;
}

/** Returns the SQLite file of the dev server's state in `dataDir`. */
function devServerDbFile(dataDir: string): string {
  return join(dataDir, 'temporal.sqlite');
}

/**
 * Builds the port-in-use error. When a dev server on this data folder's SQLite file
 * has the port, another port would open that file twice, so the message omits that fix.
 */
function portInUse(options: DevServerOptions): Error {
  const dbFile = devServerDbFile(options.dataDir);
  const owners = findDevServersOn(dbFile);
  const where = `port ${options.port} on ${loopback} (TEMPORAL_DEV_PORT) is already in use`;
  if (owners.length > 0) {
    return new Error(
      `${where} by a Temporal dev server (pid ${owners.join(', ')}) on this data folder's ` +
        `${dbFile}: stop that process (kill ${owners.join(' ')}) and start again, ` +
        `or set TEMPORAL_ADDRESS=${loopback}:${options.port} to use that server`,
    );
  }
  return new Error(
    `${where}: stop that process, set TEMPORAL_DEV_PORT to a free port, ` +
      'or set TEMPORAL_ADDRESS to use that server',
  );
}

function devServerArguments(options: DevServerOptions): string[] {
  return [
    'server',
    'start-dev',
    '--db-filename',
    devServerDbFile(options.dataDir),
    '--ip',
    loopback,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace,
    // The Web UI would otherwise fetch a news feed from the internet.
    '--ui-disable-news-fetch',
    '--log-level',
    'warn',
  ];
}

function forwardOutput(child: ChildProcess, log: Logger): void {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) log.debug({ line: line.slice(0, 500) }, 'dev server output');
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: loopback, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = `exited with ${signal ?? `code ${code}`}`));
  child.once('error', (error) => (exit = `failed to start: ${error.message}`));

  while (Date.now() < deadline) {
    if (exit) throw new Error(`Temporal dev server ${exit} before accepting connections`);
    if (await isPortOpen(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(
    `Temporal dev server did not accept connections on port ${port} in ${timeoutMs} ms`,
  );
}

/** Sends SIGTERM and waits for the exit, escalating to SIGKILL after 10 s. */
function stopChild(child: ChildProcess, log: Logger): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      log.warn({}, 'Temporal dev server ignored SIGTERM for 10 s; sending SIGKILL');
      child.kill('SIGKILL');
    }, 10_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      log.info({ code, signal }, 'Temporal dev server stopped');
      resolve();
    });
    child.kill('SIGTERM');
  });
}
