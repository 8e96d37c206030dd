import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describeRenderError, firstLine, unclosedBlock } from './render-error';
import { checkTemplate, type TemplateProblem } from './check-template';
import { strictBuiltins, requireDefined, templateHelpers } from './helpers';
import {
  defaultTemplatesDir,
  emailParts,
  type EmailPart,
  type TemplateType,
} from './template-files';

export type { TemplateProblem } from './check-template';

/** A compiled template and the file it came from, for error messages. */
export interface CompiledTemplate {
  file: string;
  render(context: object): string;
}

/** Every template of a folder, compiled and checked. */
export interface LoadedTemplates {
  dir: string;
  email: Map<string, Record<EmailPart, CompiledTemplate>>;
  notice: Map<string, CompiledTemplate>;
  task: Map<string, CompiledTemplate>;
  layouts: { html?: CompiledTemplate; text?: CompiledTemplate };
}

/** Raised when a templates folder has problems; lists each with its file and line. */
export class TemplateLoadError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(
      `Invalid templates:\n${problems
        .map((p) => `  ${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`)
        .join('\n')}`,
    );
    this.name = 'TemplateLoadError';
  }
}

/** Raised when a template fails to render, for example on a missing variable. */
export class TemplateRenderError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`Template ${file} failed to render: ${detail}`);
    this.name = 'TemplateRenderError';
  }
}

// Prototype access stays off (the Handlebars 4.6+ default), stated here so that
// a change of default cannot turn it on silently.
const runtimeOptions: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

type Mode = 'html' | 'text';

/** Compiles one file in the HTML (escaping) or plain-text Handlebars instance. */
class Compiler {
  readonly problems: TemplateProblem[] = [];
  private readonly instances: Record<Mode, typeof Handlebars>;
  private readonly partialNames = new Set<string>();

  constructor(private readonly dir: string) {
    this.instances = { html: createInstance(), text: createInstance() };
  }

  registerPartials(): void {
    const files = listFiles(this.dir, 'partials');
    for (const file of files) this.partialNames.add(file.slice(0, -'.hbs'.length));
    for (const file of files) {
      const name = file.slice(0, -'.hbs'.length);
      for (const mode of ['html', 'text'] as const) {
        const compiled = this.compile(join('partials', file), mode);
        if (compiled) this.instances[mode].registerPartial(name, compiled.template);
        if (!compiled) break;
      }
    }
  }

  /** Compiles `file` (relative to the folder), recording any problem; undefined when it failed. */
  compile(
    file: string,
    mode: Mode,
  ): (CompiledTemplate & { template: Handlebars.TemplateDelegate }) | undefined {
    const hb = this.instances[mode];
    const source = readFileSync(join(this.dir, file), 'utf8');
    const options = { strict: true, noEscape: mode === 'text' };
    try {
      const ast = hb.parse(source);
      const names = { partials: this.partialNames, helpers: new Set(Object.keys(hb.helpers)) };
      const problems = checkTemplate(file, ast, names);
      this.problems.push(...problems);
      if (problems.length > 0) return undefined;
      hb.precompile(ast, options);
      const template = hb.compile(ast, options);
      return { file, template, render: (context) => renderWith(file, source, template, context) };
    } catch (error) {
      this.problems.push(parseProblem(file, source, error));
      return undefined;
    }
  }
}

/**
 * Loads and compiles every template under `dir` (layout in templates/README):
 * strict rendering, HTML escaped in HTML parts only, prototype access off.
 * Throws TemplateLoadError naming each file and line with a syntax error, an
 * unknown partial or helper, a forbidden path, or a missing email part.
 */
export function loadTemplates(dir: string = defaultTemplatesDir): LoadedTemplates {
  const compiler = new Compiler(dir);
  compiler.registerPartials();

  const loaded: LoadedTemplates = {
    dir,
    email: loadEmails(compiler, dir),
    notice: loadSingles(compiler, dir, 'notice'),
    task: loadSingles(compiler, dir, 'task'),
    layouts: {
      html: loadOptional(compiler, dir, join('layouts', 'email.html.hbs'), 'html'),
      text: loadOptional(compiler, dir, join('layouts', 'email.text.hbs'), 'text'),
    },
  };
  if (compiler.problems.length > 0) throw new TemplateLoadError(compiler.problems);
  return loaded;
}

function loadEmails(compiler: Compiler, dir: string): LoadedTemplates['email'] {
  const names = new Set(
    listFiles(dir, 'email').map((file) => file.replace(/(\.(subject|html|text))?\.hbs$/, '')),
  );
  const result: LoadedTemplates['email'] = new Map();
  for (const name of [...names].sort()) {
    const parts: Partial<Record<EmailPart, CompiledTemplate>> = {};
    for (const part of emailParts) {
      const file = join('email', `${name}.${part}.hbs`);
      if (!existsSync(join(dir, file))) {
        compiler.problems.push({
          file,
          message: `missing: email template "${name}" needs ${emailParts.join(', ')} files`,
        });
        continue;
      }
      parts[part] = compiler.compile(file, part === 'html' ? 'html' : 'text');
    }
    if (parts.subject && parts.html && parts.text)
      result.set(name, parts as Record<EmailPart, CompiledTemplate>);
  }
  return result;
}

function loadSingles(
  compiler: Compiler,
  dir: string,
  type: Exclude<TemplateType, 'email'>,
): Map<string, CompiledTemplate> {
  const result = new Map<string, CompiledTemplate>();
  for (const file of listFiles(dir, type)) {
    const compiled = compiler.compile(join(type, file), 'text');
    if (compiled) result.set(file.slice(0, -'.hbs'.length), compiled);
  }
  return result;
}

function loadOptional(
  compiler: Compiler,
  dir: string,
  file: string,
  mode: Mode,
): CompiledTemplate | undefined {
  return existsSync(join(dir, file)) ? compiler.compile(file, mode) : undefined;
}

function createInstance(): typeof Handlebars {
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(templateHelpers)) hb.registerHelper(name, helper);
  for (const name of strictBuiltins) {
    const builtin = hb.helpers[name] as Handlebars.HelperDelegate;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args[args.length - 1] as Handlebars.HelperOptions;
      if (args.length > 1) requireDefined(name, args[0], options);
      return builtin.apply(this, args as Parameters<Handlebars.HelperDelegate>) as unknown;
    });
  }
  return hb;
}

function renderWith(
  file: string,
  source: string,
  template: Handlebars.TemplateDelegate,
  context: object,
): string {
  try {
    return template(context, runtimeOptions);
  } catch (error) {
    throw new TemplateRenderError(file, describeRenderError(source, error));
  }
}

/** Describes a parse failure; an unclosed block is named at the line that opens it. */
function parseProblem(file: string, source: string, error: unknown): TemplateProblem {
  const message = firstLine(error);
  const block = message.includes("got 'EOF'") ? unclosedBlock(source) : null;
  if (!block) return { file, line: errorLine(error), message };
  return {
    file,
    line: block.line,
    message: `{{#${block.name}}} opened at line ${block.line} is not closed: add {{/${block.name}}}`,
  };
}

function listFiles(dir: string, folder: string): string[] {
  const path = join(dir, folder);
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((file) => file.endsWith('.hbs'))
    .sort();
}

function errorLine(error: unknown): number | undefined {
  const record = error as { lineNumber?: number; message?: string };
  if (typeof record.lineNumber === 'number') return record.lineNumber;
  const match = /line (\d+)/.exec(String(record.message));
  return match ? Number(match[1]) : undefined;
}
