import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatRuleError } from '../../rules/errors';
import { runFixtures } from '../../rules/fixtures';
import { buildRuleJsonSchema } from '../../rules/json-schema';
import { loadRuleSet, type RuleSetLoad } from '../../rules/load';
import { createTemplateChecker, describeMissingTemplatesFolder } from '../../rules/template-check';

interface FolderOptions {
  templates?: string;
}

function templatesFolder(dir: string, options: FolderOptions): string {
  const configured = options.templates ?? process.env.UPTAKE_TEMPLATES_DIR;
  return resolve(configured ?? resolve(dirname(dir), 'templates'));
}

/** Rules folder of the argument, else UPTAKE_RULES_DIR as the service reads it, else rules/. */
function rulesFolder(dir: string | undefined): string {
  return dir ?? process.env.UPTAKE_RULES_DIR ?? 'rules';
}

function loadFolder(
  dir: string,
  options: FolderOptions,
): { folder: string; templates: string; load: RuleSetLoad } {
  const folder = dir;
  const templates = templatesFolder(dir, options);
  return {
    folder,
    templates,
    load: loadRuleSet(folder, { templateExists: createTemplateChecker(templates) }),
  };
}

/** Matches the error of a rule action whose template file is missing. */
const missingTemplatePattern = /^unknown (email|notice|task) template '/;

/**
 * Prints one line per error. When the templates folder cannot contain any template,
 * one line about the folder replaces the missing-template error of every action.
 */
function printErrors(load: Extract<RuleSetLoad, { ok: false }>, templatesDir: string): void {
  const folderProblem = describeMissingTemplatesFolder(templatesDir);
  const errors = folderProblem
    ? load.errors.filter((error) => !missingTemplatePattern.test(error.message))
    : load.errors;
  const replaced = errors.length < load.errors.length;
  if (replaced) console.error(folderProblem);
  for (const error of errors) console.error(formatRuleError(error));
  console.error(`${errors.length + (replaced ? 1 : 0)} error(s); the rule set was not loaded`);
}

function validate(dir: string, options: FolderOptions): void {
  const { templates, load } = loadFolder(dir, options);
  if (!load.ok) {
    printErrors(load, templates);
    process.exitCode = 1;
    return;
  }
  const { rules, version, files } = load.ruleSet;
  if (files.length === 0) {
    // An empty folder is valid for the worker, but here it usually means a wrong path.
    console.error(`no rule files (*.json) in ${resolve(dir)}: pass the folder that has the rules`);
    process.exitCode = 1;
    return;
  }
  console.log(`${rules.length} rules in ${files.length} files are valid (version ${version})`);
}

function test(dir: string, options: FolderOptions): void {
  const { folder, templates, load } = loadFolder(dir, options);
  if (!load.ok) {
    printErrors(load, templates);
    process.exitCode = 1;
    return;
  }
  const { results, errors } = runFixtures(folder, load.ruleSet);
  for (const error of errors) console.error(formatRuleError(error));
  for (const result of results) {
    console.log(`${result.passed ? 'ok  ' : 'FAIL'} ${result.file} > ${result.name}`);
    for (const line of result.diff) console.log(`       ${line}`);
  }
  const failed = results.filter((result) => !result.passed).length;
  console.log(
    `${results.length - failed} passed, ${failed} failed, ${errors.length} fixture error(s)`,
  );
  if (failed > 0 || errors.length > 0 || results.length === 0) process.exitCode = 1;
}

/** Registers `uptake rules` with validate, test and schema. */
export function registerRulesCommand(program: Command): void {
  const rules = program
    .command('rules')
    .description('Validate, test and describe the JSON rule files');
  const templatesOption = '--templates <dir>';
  const templatesHelp =
    'templates folder the rules refer to (default: UPTAKE_TEMPLATES_DIR, else templates/ beside the rules folder)';
  const dirHelp = 'rules folder (default: UPTAKE_RULES_DIR, else rules)';

  rules
    .command('validate')
    .description(
      'Check every rule file of a folder; prints one line per error and exits 1 on any error',
    )
    .argument('[dir]', dirHelp)
    .option(templatesOption, templatesHelp)
    .action((dir: string | undefined, options: FolderOptions) =>
      validate(rulesFolder(dir), options),
    );

  rules
    .command('test')
    .description(
      'Run the rule fixtures (fixtures/*.json and *.test.json in the folder); exits 1 on any failure',
    )
    .argument('[dir]', dirHelp)
    .option(templatesOption, templatesHelp)
    .action((dir: string | undefined, options: FolderOptions) => test(rulesFolder(dir), options));

  rules
    .command('schema')
    .description('Print the JSON Schema of rule files, for editor completion and checks')
    .action(() => console.log(JSON.stringify(buildRuleJsonSchema(), null, 2)));
}
