import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TemplateExists } from './types';

/**
 * Checks templates against the delivery layout under `templatesDir`: an
 * email needs `email/<name>.subject.hbs`, `.html.hbs` and `.text.hbs`; a
 * notice `notice/<name>.hbs`; a task `task/<name>.hbs`.
 */
export function createTemplateChecker(templatesDir: string): TemplateExists {
  const absoluteDir = resolve(templatesDir);
  const check: TemplateExists = (type, name) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) return false;
    if (type === 'email') {
      return ['subject', 'html', 'text'].every((part) =>
        existsSync(join(templatesDir, 'email', `${name}.${part}.hbs`)),
      );
    }
    return existsSync(join(templatesDir, type, `${name}.hbs`));
  };
  check.templatesDir = absoluteDir;
  return check;
}

/**
 * Describes a templates folder that cannot hold any template: missing, or without
 * any of the email, notice and task subfolders. Returns undefined for a usable folder.
 */
export function describeMissingTemplatesFolder(templatesDir: string): string | undefined {
  const absoluteDir = resolve(templatesDir);
  const hasChannel = ['email', 'notice', 'task'].some((type) =>
    existsSync(join(absoluteDir, type)),
  );
  if (hasChannel) return undefined;
  const problem = existsSync(absoluteDir)
    ? `templates folder ${absoluteDir} has no email, notice or task subfolder`
    : `templates folder not found at ${absoluteDir}`;
  return `${problem}; pass --templates <dir> with the folder that holds email/, notice/ and task/`;
}
