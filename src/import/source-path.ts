import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/**
 * Checks that `file`, a path relative to the import folder, still lies inside the folder once
 * symbolic links are followed, whether the link is the file itself or a folder on its path.
 * Returns the error message for a path that leads outside, or undefined. A path that does not
 * exist passes, so that the caller reports it as not found.
 * NOTE: the file is opened by its path after this check, so a link swapped in between is not seen.
 */
export function linkOutsideFolder(folder: string, file: string): string | undefined {
  const path = join(folder, file);
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return undefined;
  }
  const root = realpathSync(folder);
  const inside = relative(root, target);
  if (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)) return undefined;
  return `${path}: a symbolic link leads outside the import folder, to ${target}; copy the file into ${root} instead of linking to it`;
}
