import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import type { TemplateProblem } from '../../src/templates/check-template';
import type { LoadedTemplates } from '../../src/templates/load-templates';
import { renderEmail, type RenderContext } from '../../src/templates/render';
import { TemplateWatcher } from '../../src/templates/template-watcher';

let dir: string;
let watcher: TemplateWatcher;
let logLines: Record<string, unknown>[];

const context: RenderContext = {
  account: { id: 'a1', name: 'Northwind', plan: null, timezone: 'UTC' },
  user: { id: 'u1', name: 'Ada', email: 'ada@northwind.test', role: 'admin' },
  csm: { name: null, email: null },
  facts: {},
  features: {},
  rule: { id: 'r1', description: '' },
  appUrl: 'https://app.test',
  params: {},
};

function write(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function writeWelcome(html: string, subject = 'Welcome {{account.name}}'): void {
  write('email/welcome.subject.hbs', subject);
  write('email/welcome.html.hbs', html);
  write('email/welcome.text.hbs', 'Hello {{user.name}}');
}

function subjectOf(templates: LoadedTemplates | undefined): string {
  if (!templates) throw new Error('no templates loaded');
  return renderEmail(templates, 'welcome', context).subject;
}

/** Resolves with the next `event` of the watcher; fails the test after 5 s. */
function nextEvent<T>(event: 'reload' | 'invalid'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event within 5 s`)), 5000);
    watcher.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uptake-template-watch-'));
  writeWelcome('<p>Hello {{user.name}}</p>');
  logLines = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  watcher = new TemplateWatcher(dir, { debounceMs: 20, logger });
});

afterEach(() => {
  watcher.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('TemplateWatcher', () => {
  it('loads the folder on start', () => {
    const load = watcher.start();
    expect(load.ok).toBe(true);
    expect(subjectOf(watcher.current)).toBe('Welcome Northwind');
  });

  it('applies an edit to the next render', async () => {
    watcher.start();
    const reloaded = nextEvent<LoadedTemplates>('reload');
    write('email/welcome.subject.hbs', 'Hi again, {{account.name}}');
    await reloaded;
    expect(subjectOf(watcher.current)).toBe('Hi again, Northwind');
  });

  it('keeps the last valid set on a broken edit', async () => {
    watcher.start();
    const before = watcher.current;
    const invalid = nextEvent<TemplateProblem[]>('invalid');
    write('email/welcome.html.hbs', '<p>Hello</p>\n<p>{{user.name</p>\n');
    const problems = await invalid;

    expect(problems[0]?.file).toBe(join('email', 'welcome.html.hbs'));
    expect(problems[0]?.line).toBe(2);
    expect(watcher.current).toBe(before);
    expect(subjectOf(watcher.current)).toBe('Welcome Northwind');
  });

  it('logs one error line with file and line', async () => {
    watcher.start();
    const invalid = nextEvent<TemplateProblem[]>('invalid');
    write('email/welcome.html.hbs', '<p>Hello</p>\n{{> missing-partial}}\n');
    await invalid;

    const errors = logLines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.file).toBe(join('email', 'welcome.html.hbs'));
    expect(errors[0]?.line).toBe(2);
    expect(errors[0]?.templatesDir).toBe(dir);
  });

  describe('an edit with an undefined variable', () => {
    let problems: TemplateProblem[];

    beforeEach(async () => {
      watcher.start();
      const invalid = nextEvent<TemplateProblem[]>('invalid');
      write('email/welcome.text.hbs', 'Hello {{user.name}}\n{{params.greeting}}\n');
      problems = await invalid;
    });

    it('is rejected with its file', () => {
      expect(problems[0]?.file).toBe(join('email', 'welcome.text.hbs'));
    });

    it('is rejected with its line', () => {
      expect(problems[0]?.line).toBe(2);
    });

    it('keeps the last valid set', () => {
      expect(subjectOf(watcher.current)).toBe('Welcome Northwind');
    });
  });

  it('rejects a missing email part', async () => {
    watcher.start();
    const invalid = nextEvent<TemplateProblem[]>('invalid');
    rmSync(join(dir, 'email', 'welcome.text.hbs'));
    const problems = await invalid;
    expect(problems[0]?.file).toBe(join('email', 'welcome.text.hbs'));
    expect(subjectOf(watcher.current)).toBe('Welcome Northwind');
  });

  it('recovers after a broken edit is fixed', async () => {
    watcher.start();
    const invalid = nextEvent<TemplateProblem[]>('invalid');
    write('email/welcome.subject.hbs', 'Welcome {{account.name');
    await invalid;
    const reloaded = nextEvent<LoadedTemplates>('reload');
    write('email/welcome.subject.hbs', 'Fixed for {{account.name}}');
    await reloaded;
    expect(subjectOf(watcher.current)).toBe('Fixed for Northwind');
  });

  it('picks up a new partial folder', async () => {
    watcher.start();
    const first = nextEvent<LoadedTemplates>('reload');
    write('partials/sign-off.hbs', '<p>The success team</p>');
    writeWelcome('<p>Hello</p>{{> sign-off}}');
    const withPartial = await first;
    const html = renderEmail(withPartial, 'welcome', context).html;
    expect(html).toContain('The success team');

    // The partials folder is new, so this checks that it is watched too.
    const second = nextEvent<LoadedTemplates>('reload');
    write('partials/sign-off.hbs', '<p>Your account team</p>');
    const edited = await second;
    expect(renderEmail(edited, 'welcome', context).html).toContain('Your account team');
  });

  it('applies a layout edit', async () => {
    watcher.start();
    const reloaded = nextEvent<LoadedTemplates>('reload');
    write('layouts/email.html.hbs', '<main>{{{body}}}</main>');
    const templates = await reloaded;
    expect(renderEmail(templates, 'welcome', context).html).toBe('<main><p>Hello Ada</p></main>');
  });

  it('stops reloading after stop', async () => {
    watcher.start();
    watcher.stop();
    let reloads = 0;
    watcher.on('reload', () => (reloads += 1));
    write('email/welcome.subject.hbs', 'Changed after stop');
    // Ten debounce periods: a watcher still running would have reloaded by then.
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(reloads).toBe(0);
    expect(subjectOf(watcher.current)).toBe('Welcome Northwind');
    // The edit itself was valid: an explicit reload applies it.
    expect(watcher.reload().ok).toBe(true);
    expect(subjectOf(watcher.current)).toBe('Changed after stop');
  });

  it('reports an unchanged invalid folder once', () => {
    write('email/welcome.subject.hbs', '{{#if}}');
    const first = watcher.reload();
    const second = watcher.reload();
    expect(first.ok).toBe(false);
    expect(second).toBe(first);
    expect(logLines.filter((line) => line.level === 50)).toHaveLength(1);
  });

  it('logs a fix back to the set in force', () => {
    const subject = readFileSync(join(dir, 'email/welcome.subject.hbs'), 'utf8');
    watcher.reload();
    write('email/welcome.subject.hbs', '{{#if}}');
    watcher.reload();
    write('email/welcome.subject.hbs', subject);
    watcher.reload();

    expect(logLines.map((line) => line.msg)).toContain(
      'templates valid again; the set in force is unchanged',
    );
  });

  it('throws from requireCurrent before a load', () => {
    write('email/welcome.subject.hbs', '{{#if}}');
    watcher.reload();
    expect(() => watcher.requireCurrent()).toThrow(/no valid templates loaded/);
  });
});
