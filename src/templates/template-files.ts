import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../config';

/** Channels that have templates; the channel of a rule action comes from its type. */
export const templateTypes = ['email', 'notice', 'task'] as const;
export type TemplateType = (typeof templateTypes)[number];

/** The three files that make one email template. */
export const emailParts = ['subject', 'html', 'text'] as const;
export type EmailPart = (typeof emailParts)[number];

/** The shipped templates folder, used when no other folder is given. */
export const defaultTemplatesDir = resolve(projectRoot, 'templates');

/** Template names are file stems: letters, digits, dashes and underscores only. */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Lists the files that make template `name` of `type`, relative to the templates folder. */
export function templateFiles(type: TemplateType, name: string): string[] {
  if (type === 'email') return emailParts.map((part) => join('email', `${name}.${part}.hbs`));
  return [join(type, `${name}.hbs`)];
}

/**
 * Checks whether template `name` of `type` exists in `dir` (default: the
 * shipped templates). An email template needs its subject, HTML and text files.
 */
export function templateExists(
  type: TemplateType,
  name: string,
  dir: string = defaultTemplatesDir,
): boolean {
  if (!namePattern.test(name)) return false;
  return templateFiles(type, name).every((file) => existsSync(join(dir, file)));
}

/**
 * Lists the template names of each type in `dir` once, and returns a lookup
 * over that listing: the form rule validation takes as `templateExists`.
 */
export function createTemplateExists(
  dir: string = defaultTemplatesDir,
): (type: TemplateType, name: string) => boolean {
  const names = listTemplateNames(dir);
  return (type, name) => names[type].has(name);
}

/** Lists the complete template names of each type in `dir`. */
export function listTemplateNames(dir: string): Record<TemplateType, Set<string>> {
  const result: Record<TemplateType, Set<string>> = {
    email: new Set(),
    notice: new Set(),
    task: new Set(),
  };
  for (const type of templateTypes) {
    for (const stem of listStems(join(dir, type))) {
      const name = type === 'email' ? stem.replace(/\.(subject|html|text)$/, '') : stem;
      if (templateExists(type, name, dir)) result[type].add(name);
    }
  }
  return result;
}

function listStems(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => file.slice(0, -'.hbs'.length));
}
