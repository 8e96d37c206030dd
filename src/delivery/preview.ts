import type { PlannedAction } from '../actions/types';
import type { Store } from '../store/database';
import type { LoadedTemplates } from '../templates/load-templates';
import { renderEmail, renderNotice, renderTask } from '../templates/render';
import type { TemplateType } from '../templates/template-files';
import type { FactsLoader } from './config';
import { buildRenderContext, findAccount, findUser } from './render-context';
import { buildUnsubscribeUrl } from './unsubscribe';

/** Request of `uptake templates preview`. */
export interface PreviewRequest {
  template: string;
  type?: TemplateType;
  accountId: string;
  userId?: string;
  asOf: number;
  appUrl: string;
  /** One-click unsubscribe endpoint, the same one sent emails link to. */
  unsubscribeUrl: string;
}

/** A rendered preview: subject or title, the plain text, and HTML for a browser. */
export interface Preview {
  type: TemplateType;
  heading: string;
  text: string;
  html: string;
}

// The service requires unsubscribe keys of at least 32 characters, so a link
// signed with this shorter key never verifies and a copied preview link is inert.
const previewSecret = 'preview-only';

/**
 * Renders a template with an account's real facts as of `asOf`, the way a
 * delivery would, for a person to read before a rule goes live.
 */
export async function renderPreview(
  store: Store,
  templates: LoadedTemplates,
  loadFacts: FactsLoader,
  request: PreviewRequest,
): Promise<Preview> {
  const type = request.type ?? inferType(templates, request.template);
  const account = await findAccount({ store }, request.accountId);
  if (!account) throw new Error(`account "${request.accountId}" not found: check the id or --db`);
  const user = type === 'task' ? undefined : await pickUser(store, request);

  const deps = { store, loadFacts, config: { appUrl: request.appUrl } };
  const unsubscribeUrl = user
    ? buildUnsubscribeUrl(request.unsubscribeUrl, user.id, previewSecret)
    : undefined;
  const context = await buildRenderContext(deps, previewAction(request, type, user?.id), {
    account,
    ...(user ? { user } : {}),
    ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
  });

  if (type === 'email') {
    const email = renderEmail(templates, request.template, context);
    return { type, heading: email.subject, text: email.text, html: email.html };
  }
  const rendered =
    type === 'notice'
      ? renderNotice(templates, request.template, context)
      : renderTask(templates, request.template, context);
  const text = 'body' in rendered ? rendered.body : rendered.description;
  return { type, heading: rendered.title, text, html: plainPage(rendered.title, text) };
}

function inferType(templates: LoadedTemplates, name: string): TemplateType {
  const types = (['email', 'notice', 'task'] as const).filter((type) => templates[type].has(name));
  const [first] = types;
  if (first === undefined) {
    const known = (['email', 'notice', 'task'] as const)
      .map((type) => `${type}: ${[...templates[type].keys()].join(', ')}`)
      .join('; ');
    throw new Error(
      `template "${name}" not found in ${templates.dir}. Known templates are ${known}`,
    );
  }
  return first;
}

async function pickUser(store: Store, request: PreviewRequest) {
  if (request.userId !== undefined) {
    const user = await findUser({ store }, request.accountId, request.userId);
    if (!user)
      throw new Error(`user "${request.userId}" not found in account ${request.accountId}`);
    return user;
  }
  const user = await store.db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', request.accountId)
    .orderBy('id')
    .executeTakeFirst();
  if (!user) throw new Error(`account ${request.accountId} has no users: pass a task template`);
  return user;
}

function previewAction(
  request: PreviewRequest,
  type: TemplateType,
  userId?: string,
): PlannedAction {
  return {
    idempotencyKey: `preview:${request.accountId}:${request.template}`,
    accountId: request.accountId,
    ruleId: 'preview',
    ruleSetVersion: 'preview',
    type,
    template: request.template,
    params: {},
    recipient: userId ?? '',
    evidence: {},
    notBefore: request.asOf,
  };
}

function plainPage(title: string, text: string): string {
  const escape = (value: string) =>
    value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8" /><title>${escape(title)}</title></head>\n<body><h1>${escape(title)}</h1>\n<pre style="white-space:pre-wrap;font-family:inherit">${escape(text)}</pre></body></html>\n`;
}
