import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  loadTemplates,
  TemplateLoadError,
  TemplateRenderError,
  type LoadedTemplates,
} from '../../src/templates/load-templates';
import { renderEmail, renderNotice, type RenderContext } from '../../src/templates/render';
import { createTemplateExists, templateExists } from '../../src/templates/template-files';

let dir: string;

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function email(
  name: string,
  html: string,
  text = 'Hello',
  subject = 'Subject',
): Record<string, string> {
  return {
    [`email/${name}.subject.hbs`]: subject,
    [`email/${name}.html.hbs`]: html,
    [`email/${name}.text.hbs`]: text,
  };
}

function loadError(): TemplateLoadError {
  try {
    loadTemplates(dir);
  } catch (error) {
    if (error instanceof TemplateLoadError) return error;
    throw error;
  }
  throw new Error('expected loadTemplates to throw');
}

const context: RenderContext = {
  account: { id: 'a1', name: 'Acme <Tools> & Co', plan: null, timezone: 'UTC' },
  user: { id: 'u1', name: null, email: 'u1@acme.test', role: 'admin' },
  csm: { name: null, email: null },
  facts: { daysToRenewal: 1 },
  features: {},
  rule: { id: 'r1', description: '' },
  appUrl: 'https://app.test',
  params: {},
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uptake-templates-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadTemplates errors', () => {
  it('names file and line of a syntax error', () => {
    write(email('broken', '<p>one</p>\n<p>{{user.name</p>\n'));
    const [problem] = loadError().problems;
    expect(problem?.file).toBe(join('email', 'broken.html.hbs'));
    expect(problem?.line).toBe(2);
    expect(problem?.message).toMatch(/^Parse error on line 2/);
  });

  it('names the line that opens an unclosed block', () => {
    write(email('broken', '<p>one</p>\n<p>{{#if account.name}}two</p>\n'));
    const [problem] = loadError().problems;
    expect(problem?.line).toBe(2);
    expect(problem?.message).toBe('{{#if}} opened at line 2 is not closed: add {{/if}}');
  });

  it('names a mismatched closing block', () => {
    write({ 'notice/n.hbs': 'Title\n{{#if account.name}}x{{/unless}}' });
    const [problem] = loadError().problems;
    expect(problem?.file).toBe(join('notice', 'n.hbs'));
    expect(problem?.line).toBe(2);
  });

  it('names an unknown partial with its line', () => {
    write({ 'task/t.hbs': 'Title\n\n{{> missing-partial}}\n' });
    const [problem] = loadError().problems;
    expect(problem?.file).toBe(join('task', 't.hbs'));
    expect(problem?.line).toBe(3);
    expect(problem?.message).toMatch(/unknown partial "missing-partial"/);
  });

  it('names an unknown helper', () => {
    write({ 'task/t.hbs': 'Title {{shout account.name}}' });
    expect(loadError().problems[0]?.message).toMatch(/unknown helper "shout"/);
  });

  it('rejects a path into a prototype', () => {
    write({ 'task/t.hbs': 'Title {{account.constructor.name}}' });
    expect(loadError().problems[0]?.message).toMatch(/reaches "constructor"/);
  });

  it('rejects an email without its text part', () => {
    write({ 'email/e.subject.hbs': 'S', 'email/e.html.hbs': 'H' });
    expect(loadError().problems[0]?.file).toBe(join('email', 'e.text.hbs'));
  });

  it('lists every broken file in the message', () => {
    write({ 'task/a.hbs': '{{#if}}', 'task/b.hbs': '{{> nope}}' });
    const error = loadError();
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain(join('task', 'b.hbs'));
  });
});

describe('rendering', () => {
  function load(files: Record<string, string>): LoadedTemplates {
    write(files);
    return loadTemplates(dir);
  }

  it('fails on a missing variable', () => {
    const templates = load(email('e', '<p>{{account.nickname}}</p>'));
    expect(() => renderEmail(templates, 'e', context)).toThrow(TemplateRenderError);
  });

  it('names the file of a missing variable', () => {
    const templates = load(email('e', '<p>{{account.nickname}}</p>'));
    expect(() => renderEmail(templates, 'e', context)).toThrow(
      /email\/e\.html\.hbs.*\{\{account\.nickname\}\} at line 1 has no value/,
    );
  });

  it('fails on a missing helper argument', () => {
    const templates = load({ 'notice/n.hbs': 'Title\n{{pluralize facts.missing "day"}}' });
    expect(() => renderNotice(templates, 'n', context)).toThrow(/helper "pluralize" on line 2/);
  });

  it('fails on a missing if condition', () => {
    const templates = load({ 'notice/n.hbs': 'Title\n{{#if facts.missing}}x{{/if}}' });
    expect(() => renderNotice(templates, 'n', context)).toThrow(/helper "if"/);
  });

  it('accepts a null value', () => {
    const templates = load({
      'notice/n.hbs': 'Hi {{#if user.name}}{{user.name}}{{else}}there{{/if}}',
    });
    expect(renderNotice(templates, 'n', context).title).toBe('Hi there');
  });

  it('escapes HTML in the HTML part', () => {
    const templates = load(email('e', '<p>{{account.name}}</p>', '{{account.name}}'));
    expect(renderEmail(templates, 'e', context).html).toBe('<p>Acme &lt;Tools&gt; &amp; Co</p>');
  });

  it('leaves the text part unescaped', () => {
    const templates = load(email('e', '<p>{{account.name}}</p>', '{{account.name}}'));
    expect(renderEmail(templates, 'e', context).text).toBe('Acme <Tools> & Co');
  });

  it('escapes HTML inside partials', () => {
    const templates = load({
      'partials/name.hbs': '<b>{{account.name}}</b>',
      ...email('e', '{{> name}}'),
    });
    expect(renderEmail(templates, 'e', context).html).toBe('<b>Acme &lt;Tools&gt; &amp; Co</b>');
  });

  it('flattens a subject to one line', () => {
    const templates = load(email('e', 'x', 'x', 'Hello\n{{account.id}}\r\nBcc: x@y.test'));
    expect(renderEmail(templates, 'e', context).subject).toBe('Hello a1 Bcc: x@y.test');
  });

  it('does not read inherited properties', () => {
    const templates = load({ 'notice/n.hbs': 'Title\n[{{account.secret}}]' });
    const account = Object.assign(
      Object.create({ secret: 'from-prototype' }) as object,
      context.account,
    );
    expect(renderNotice(templates, 'n', { ...context, account } as RenderContext).body).toBe('[]');
  });

  it('wraps emails in the layouts', () => {
    const templates = load({
      'layouts/email.html.hbs': '<main>{{{body}}}</main><a href="{{unsubscribeUrl}}">x</a>',
      'layouts/email.text.hbs': '{{body}}\n--\n{{unsubscribeUrl}}',
      ...email('e', '<p>hi</p>', 'hi'),
    });
    const rendered = renderEmail(templates, 'e', {
      ...context,
      unsubscribeUrl: 'https://u.test/?t=1',
    });
    expect(rendered.html).toBe('<main><p>hi</p></main><a href="https://u.test/?t&#x3D;1">x</a>');
    expect(rendered.text).toBe('hi\n--\nhttps://u.test/?t=1');
  });
});

describe('templateExists', () => {
  it('needs all three email parts', () => {
    write({ 'email/e.subject.hbs': 'S', 'email/e.html.hbs': 'H' });
    expect(templateExists('email', 'e', dir)).toBe(false);
    write({ 'email/e.text.hbs': 'T' });
    expect(templateExists('email', 'e', dir)).toBe(true);
  });

  it('rejects names with path separators', () => {
    write({ 'task/t.hbs': 'T' });
    expect(templateExists('task', '../task/t', dir)).toBe(false);
  });

  it('answers from one listing', () => {
    write({ 'notice/n.hbs': 'N', 'task/t.hbs': 'T' });
    const exists = createTemplateExists(dir);
    expect(exists('notice', 'n')).toBe(true);
    expect(exists('task', 'n')).toBe(false);
  });
});
