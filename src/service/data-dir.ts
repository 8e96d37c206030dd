import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Thrown when a folder the service writes to cannot be created or written. */
export class DataDirError extends Error {
  constructor(setting: string, value: string, cause: string) {
    super(
      `${setting}=${value} cannot be used: ${cause}; set ${setting} to a path ` +
        'this user can create and write, such as ./.uptake',
    );
    this.name = 'DataDirError';
  }
}

/** Plain-words cause of a file system error code, for the start-up message. */
function describeCause(error: NodeJS.ErrnoException, path: string): string {
  switch (error.code) {
    case 'ENOTDIR':
      return `${path} or a folder above it is a file, not a folder (ENOTDIR)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied at ${path} (${error.code})`;
    case 'EROFS':
      return `${path} is on a read-only file system (EROFS)`;
    case 'ENOENT':
      return `the file system does not allow a new folder at ${path} (ENOENT)`;
    case 'ENOSPC':
      return `no space left on the device of ${path} (ENOSPC)`;
    default:
      return `${error.code ?? 'error'} at ${path}: ${error.message}`;
  }
}

/**
 * Creates `path` one level at a time. On Node 20, a recursive mkdir under /proc
 * was seen to retry forever and block the event loop, so even SIGINT was ignored.
 * A single-level mkdir fails with ENOENT there instead.
 */
function createFolder(path: string): void {
  const missing: string[] = [];
  let current = path;
  while (!exists(current)) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (!statSync(path).isDirectory()) {
    throw Object.assign(new Error(`${path} is not a folder`), { code: 'ENOTDIR' });
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    // ENOTDIR means a file is above it, so mkdir reports it instead of treating it as missing.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    return true;
  }
}

/** Writes and removes a probe file, since permission bits alone miss read-only mounts. */
function checkWritable(path: string): void {
  const probe = join(path, `.write-check-${process.pid}`);
  writeFileSync(probe, '');
  rmSync(probe, { force: true });
}

/**
 * Creates `folder` (by default the value of `setting`, such as UPTAKE_DATA_DIR) and checks
 * that it is writable. A bad path then stops start-up before anything else runs.
 * The message names the setting, the path, the cause and the fix.
 */
export function prepareFolder(setting: string, value: string, folder = value): void {
  try {
    createFolder(folder);
    checkWritable(folder);
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    throw new DataDirError(setting, value, describeCause(errno, errno.path ?? folder));
  }
}
