import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { defaultStorePath } from '../../config';
import { renderPreview } from '../../delivery/preview';
import { createSignalsFactsLoader } from '../../delivery/signals-facts';
import { servicePublicUrl, unsubscribeEndpoint } from '../../delivery/unsubscribe';
import { loadConfigOrThrow } from '../../service/lifecycle';
import { openStore } from '../../store/database';
import { parseInstant } from '../../store/time';
import { loadTemplates } from '../../templates/load-templates';
import { checkTemplatesRender } from '../../templates/sample-check';
import { defaultTemplatesDir, type TemplateType } from '../../templates/template-files';

interface PreviewOptions {
  account: string;
  type?: TemplateType;
  user?: string;
  out?: string;
  db?: string;
  asOf?: string;
  templates?: string;
  appUrl?: string;
  config?: string;
}

/** Registers `uptake templates`, with `preview` to render a template on an account's real data. */
export function registerTemplatesCommand(program: Command): void {
  const templates = program
    .command('templates')
    .description('Work with the Handlebars templates of emails, notices and CSM tasks');

  templates
    .command('preview')
    .description(
      "Render a template with an account's real signals: subject and text part to the terminal, or HTML to a file",
    )
    .argument('<template>', 'template name, e.g. key-features')
    .requiredOption('--account <id>', 'account whose data fills the template')
    .addOption(
      new Option(
        '--type <type>',
        'template channel (default: the first that has the name)',
      ).choices(['email', 'notice', 'task']),
    )
    .option('--user <id>', 'recipient user of the account (default: its first user by id)')
    .option('--out <file.html>', 'write the HTML (the email inside its layout) to this file')
    .option('--db <path>', 'SQLite store file (default: UPTAKE_DB or .uptake/uptake.sqlite)')
    .option('--as-of <ISO date>', 'instant the signals are computed at (default: now)')
    .option('--templates <dir>', `templates folder (default: ${templatesDirHelp})`)
    .option(
      '--app-url <url>',
      'product URL used in links (default: UPTAKE_APP_URL, else the public URL, as in sent emails)',
    )
    .option(
      '--config <file>',
      'JSON file of service settings; UPTAKE_PUBLIC_URL, HOST and PORT set the unsubscribe link',
    )
    .action(async (template: string, options: PreviewOptions) => {
      console.log(await runPreview(template, options));
    });

  templates
    .command('check')
    .description(
      'Load, compile and render every template against a sample account; exit 1 naming each file and line with an error, or when the folder has no templates',
    )
    .argument('[dir]', `templates folder (default: ${templatesDirHelp})`)
    .action((dir: string | undefined) => checkTemplates(resolve(templatesDirOf(dir))));
}

const templatesDirHelp = 'UPTAKE_TEMPLATES_DIR, else the shipped templates/';

/** Templates folder of the option or argument, else UPTAKE_TEMPLATES_DIR as the service reads it. */
function templatesDirOf(dir: string | undefined): string {
  return dir ?? process.env.UPTAKE_TEMPLATES_DIR ?? defaultTemplatesDir;
}

function checkTemplates(dir: string): void {
  const loaded = loadTemplates(dir);
  const types = ['email', 'notice', 'task'] as const;
  if (types.every((type) => loaded[type].size === 0)) {
    throw new Error(
      `No templates found in ${dir}: expected .hbs files under email/, notice/ or task/. Pass the templates folder as the argument.`,
    );
  }
  const problems = checkTemplatesRender(loaded);
  if (problems.length > 0) {
    for (const problem of problems) {
      const line = problem.line === undefined ? '' : `:${problem.line}`;
      console.error(`${join(dir, problem.file)}${line}: ${problem.message}`);
    }
    console.error(`${problems.length} template(s) failed to render with the sample account`);
    process.exitCode = 1;
    return;
  }
  const counts = types.map((type) => `${loaded[type].size} ${type}`);
  console.log(`Templates in ${loaded.dir} are valid: ${counts.join(', ')}`);
}

async function runPreview(template: string, options: PreviewOptions): Promise<string> {
  const asOf = options.asOf === undefined ? Date.now() : parseInstant(options.asOf);
  if (asOf === undefined) {
    throw new Error(
      `Invalid --as-of value "${options.asOf}": expected an ISO 8601 date such as 2026-12-04.`,
    );
  }
  const loaded = loadTemplates(resolve(templatesDirOf(options.templates)));
  const path = options.db ?? defaultStorePath();
  if (!existsSync(path)) {
    throw new Error(`Store file not found: ${path}. Pass --db <path> or import data first.`);
  }
  // Takes the service's settings and link functions, so the preview shows the links sent emails carry.
  const config = loadConfigOrThrow(process.env, options.config);
  const publicUrl = servicePublicUrl(config);
  const store = await openStore(path);
  try {
    const preview = await renderPreview(store, loaded, createSignalsFactsLoader(), {
      template,
      accountId: options.account,
      asOf,
      appUrl: (options.appUrl ?? config.appUrl ?? publicUrl).replace(/\/+$/, ''),
      unsubscribeUrl: unsubscribeEndpoint(publicUrl),
      ...(options.type ? { type: options.type } : {}),
      ...(options.user ? { userId: options.user } : {}),
    });
    if (options.out) {
      writeHtml(options.out, preview.html);
      return `${preview.type} ${template}: ${preview.heading}\nHTML written to ${resolve(options.out)}`;
    }
    const label = preview.type === 'email' ? 'Subject' : 'Title';
    return `${label}: ${preview.heading}\n\n${preview.text}`;
  } finally {
    await store.close();
  }
}

/** Writes the preview file, naming the path and the fix when its folder is missing or read-only. */
function writeHtml(out: string, html: string): void {
  try {
    writeFileSync(out, html);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const folder = dirname(resolve(out));
    if (code === 'ENOENT') {
      throw new Error(
        `Cannot write ${resolve(out)}: folder ${folder} does not exist. Create it or pass another --out path.`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot write ${resolve(out)}: ${reason}. Pass another --out path.`);
  }
}
