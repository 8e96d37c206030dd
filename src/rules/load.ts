import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleError } from './errors';
import { readRuleFile } from './read-rule-file';
import { checkAcrossFiles, compileRuleSet, type RuleFileText } from './rule-set';
import type { RuleSet, TemplateExists } from './types';

/** A loaded rule set, or every error that keeps the folder from loading. */
export type RuleSetLoad = { ok: true; ruleSet: RuleSet } | { ok: false; errors: RuleError[] };

/** Options of `loadRuleSet`. */
export interface LoadOptions {
  /** Whether a template of the delivery layout exists; see `createTemplateChecker`. */
  templateExists: TemplateExists;
}

/**
 * Lists the rule files of a folder: its `*.json` files, not in subfolders,
 * without `*.test.json` fixtures. Files starting with `_` hold shared conditions.
 */
export function listRuleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.test.json'))
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Loads, validates and compiles a rule folder. Any error rejects the whole
 * set, so callers keep their last valid one.
 */
export function loadRuleSet(dir: string, options: LoadOptions): RuleSetLoad {
  const files = readRuleFolder(dir);
  return 'errors' in files ? files : loadRuleTexts(files, options);
}

/** Reads the rule files of a folder, or returns the error that prevented it. */
export function readRuleFolder(dir: string): RuleFileText[] | Extract<RuleSetLoad, { ok: false }> {
  try {
    return listRuleFiles(dir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const errors = [
      { file: dir, jsonPath: '$', message: `failed to read the rule folder: ${message}` },
    ];
    return { ok: false, errors };
  }
}

/** Validates and compiles rule files already in memory (the folder loader and tests use it). */
export function loadRuleTexts(files: readonly RuleFileText[], options: LoadOptions): RuleSetLoad {
  const contributions = files.map(({ file, text }) =>
    readRuleFile(file, text, options.templateExists),
  );
  const errors = contributions.flatMap((contribution) => contribution.errors);
  if (errors.length > 0) return { ok: false, errors };
  const crossFileErrors = checkAcrossFiles(contributions);
  if (crossFileErrors.length > 0) return { ok: false, errors: crossFileErrors };
  return { ok: true, ruleSet: compileRuleSet(contributions, files) };
}
