import type { AccountFacts } from '../signals/catalog';
import type { FeatureInfo } from './helpers';
import type { CompiledTemplate, LoadedTemplates } from './load-templates';

/** Variables every template may read; see templates/README.md for each field. */
export interface RenderContext {
  account: { id: string; name: string; plan: string | null; timezone: string };
  /** The recipient, for email and notice templates. */
  user?: { id: string; name: string | null; email: string | null; role: string };
  csm: { name: string | null; email: string | null };
  facts: Partial<AccountFacts> & Record<string, unknown>;
  features: Record<string, FeatureInfo>;
  rule: { id: string; description: string };
  /** One-click unsubscribe link of the recipient, for emails. */
  unsubscribeUrl?: string;
  appUrl: string;
  params: Record<string, unknown>;
}

/** A rendered email: one-line subject, full HTML (inside the layout) and text parts. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Renders email template `name` with the shared layouts. Throws when it is unknown or fails. */
export function renderEmail(
  templates: LoadedTemplates,
  name: string,
  context: RenderContext,
): RenderedEmail {
  const parts = templates.email.get(name);
  if (!parts) throw new Error(`unknown email template "${name}" in ${templates.dir}`);

  // Header values are one line: a newline from a variable must not start a new header.
  const subject = parts.subject.render(context).replace(/\s+/g, ' ').trim();
  if (subject === '') throw new Error(`${parts.subject.file} rendered an empty subject`);

  return {
    subject,
    html: wrap(templates.layouts.html, parts.html.render(context), context),
    text: wrap(templates.layouts.text, parts.text.render(context), context),
  };
}

/** Renders notice template `name`: the first line is the title, the rest the body. */
export function renderNotice(
  templates: LoadedTemplates,
  name: string,
  context: RenderContext,
): { title: string; body: string } {
  const [title, body] = splitTitle(
    lookup(templates.notice, 'notice', name, templates.dir),
    context,
  );
  return { title, body };
}

/** Renders task template `name`: the first line is the title, the rest the description. */
export function renderTask(
  templates: LoadedTemplates,
  name: string,
  context: RenderContext,
): { title: string; description: string } {
  const [title, description] = splitTitle(
    lookup(templates.task, 'task', name, templates.dir),
    context,
  );
  return { title, description };
}

function lookup(
  map: Map<string, CompiledTemplate>,
  type: string,
  name: string,
  dir: string,
): CompiledTemplate {
  const template = map.get(name);
  if (!template) throw new Error(`unknown ${type} template "${name}" in ${dir}`);
  return template;
}

function splitTitle(template: CompiledTemplate, context: RenderContext): [string, string] {
  const rendered = template.render(context).replace(/\r\n/g, '\n');
  const newline = rendered.indexOf('\n');
  const title = (newline === -1 ? rendered : rendered.slice(0, newline)).trim();
  if (title === '') throw new Error(`${template.file} rendered an empty title (its first line)`);
  const rest = newline === -1 ? '' : rendered.slice(newline + 1);
  return [title, rest.replace(/\n{3,}/g, '\n\n').trim()];
}

function wrap(layout: CompiledTemplate | undefined, body: string, context: RenderContext): string {
  return layout ? layout.render({ ...context, body: body.trimEnd() }) : body;
}
