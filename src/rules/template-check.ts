import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateExists } from './types';

/**
 * Checks templates against the delivery layout under `templatesDir`: an
 * email needs `email/<name>.subject.hbs`, `.html.hbs` and `.text.hbs`; a
 * notice `notice/<name>.hbs`; a task `task/<name>.hbs`.
 */
export function createTemplateChecker(templatesDir: string): TemplateExists {
  return (type, name) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) return false;
    if (type === 'email') {
      return ['subject', 'html', 'text'].every((part) =>
        existsSync(join(templatesDir, 'email', `${name}.${part}.hbs`)),
      );
    }
    return existsSync(join(templatesDir, type, `${name}.hbs`));
  };
}
