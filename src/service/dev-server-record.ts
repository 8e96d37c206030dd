import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger';

/** Contents of the record that marks a dev server started for one data folder. */
export interface DevServerRecord {
  pid: number;
  /** Path of the Temporal CLI binary that was started. */
  binary: string;
  /** SQLite file the dev server keeps its state in. */
  dbFile: string;
  /** Process id of the `uptake serve` that started it. */
  ownerPid: number;
}

/** Returns the file, in the data folder, that records the running dev server. */
export function recordPath(dataDir: string): string {
  return join(dataDir, 'temporal-dev-server.json');
}

/** Writes the record when the dev server starts, so a later start can find an orphan. */
export function writeRecord(dataDir: string, record: DevServerRecord): void {
  writeFileSync(recordPath(dataDir), JSON.stringify(record) + '\n');
}

/** Removes the record after a clean stop. */
export function removeRecord(dataDir: string): void {
  rmSync(recordPath(dataDir), { force: true });
}

function readRecord(dataDir: string): DevServerRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(recordPath(dataDir), 'utf8')) as DevServerRecord;
    return Number.isInteger(parsed.pid) && parsed.pid > 1 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Returns the argument list of a process from /proc, or undefined when it has exited. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Returns the parent process id from /proc, or undefined when the process has exited. */
function parentPid(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^PPid:\s+(\d+)/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Tells whether `args` is `temporal server start-dev` on the SQLite file `dbFile`. */
export function isDevServerOn(args: string[], dbFile: string, binary?: string): boolean {
  if (binary !== undefined && args[0] !== binary) return false;
  const dbIndex = args.indexOf('--db-filename');
  return args[1] === 'server' && args[2] === 'start-dev' && args[dbIndex + 1] === dbFile;
}

/**
 * Lists live processes that run a dev server on `dbFile`, from /proc. A port conflict
 * message uses it to report whether this data folder's own server has the port.
 */
export function findDevServersOn(dbFile: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => isDevServerOn(commandLine(pid) ?? [], dbFile));
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/**
 * Stops a dev server that an earlier `uptake serve` on this data folder left running
 * after it was killed: SIGTERM, a wait, then SIGKILL. It signals only a live
 * process whose command line matches the record's binary and SQLite file.
 * It raises an error when the serve that started that server is still running.
 */
export async function stopOrphanedDevServer(dataDir: string, logger: Logger): Promise<void> {
  const record = readRecord(dataDir);
  if (!record) return;
  const args = isAlive(record.pid) ? commandLine(record.pid) : undefined;
  if (!args || !isDevServerOn(args, record.dbFile, record.binary)) {
    removeRecord(dataDir);
    return;
  }
  if (parentPid(record.pid) === record.ownerPid && isAlive(record.ownerPid)) {
    throw new Error(
      `another uptake serve (pid ${record.ownerPid}) is using UPTAKE_DATA_DIR=${dataDir} ` +
        'and its Temporal dev server: stop it first, or set UPTAKE_DATA_DIR to another folder',
    );
  }
  process.kill(record.pid, 'SIGTERM');
  if (!(await waitForExit(record.pid, 10_000))) {
    process.kill(record.pid, 'SIGKILL');
    await waitForExit(record.pid, 5_000);
  }
  removeRecord(dataDir);
  logger.warn(
    { devServerPid: record.pid, dbFile: record.dbFile },
    'stopped a Temporal dev server that an earlier uptake serve on this data folder left running',
  );
}
