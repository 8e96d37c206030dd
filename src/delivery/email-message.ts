import { createHash } from 'node:crypto';
import type { PlannedAction } from '../actions/types';
import { renderEmail } from '../templates/render';
import { checkRecipient } from './address';
import { currentTemplates, type DeliveryDeps } from './config';
import type { OutgoingMail } from './mail-transport';
import { buildRenderContext, findAccount, findUser } from './render-context';
import { buildUnsubscribeUrl, findSuppression } from './unsubscribe';

/** Why an email is not sent: skipped by policy, or failed on bad input. */
export interface NotSent {
  status: 'skipped' | 'failed';
  reason: string;
}

/**
 * Derives the Message-ID of an action from its idempotency key, so that every
 * attempt of one action sends the same id and receivers can drop repeats.
 */
export function messageIdFor(key: string, fromAddress: string): string {
  const domain = fromAddress.split('@')[1] ?? 'uptake.invalid';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Raised by `PreparedEmail.render` when the template set in force cannot render the email. */
export class EmailRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmailRenderError';
  }
}

/** An email whose recipient passed every check, rendered only when its turn to send comes. */
export interface PreparedEmail {
  /**
   * Renders the message with the templates in force at the call, so a template
   * edit reaches messages that waited for the relay. Throws EmailRenderError.
   */
  render(): OutgoingMail;
}

/**
 * Prepares the email of an action, or returns the reason it must not go out:
 * unknown account or user, unsubscribed or suppressed, an address nodemailer
 * could misread, or no template named.
 */
export async function prepareEmail(
  deps: DeliveryDeps,
  action: PlannedAction,
  messageId: string,
): Promise<PreparedEmail | NotSent> {
  const account = await findAccount(deps, action.accountId);
  if (!account) return failed(`account ${action.accountId} not found`);
  const user = await findUser(deps, action.accountId, action.recipient);
  if (!user) return failed(`user ${action.recipient} not found in account ${action.accountId}`);

  const suppression = await findSuppression(deps.store, user);
  if (suppression) return { status: 'skipped', reason: suppression };
  const to = checkRecipient(user);
  if ('reason' in to) return failed(to.reason);
  const template = action.template;
  if (!template) return failed(`email action of rule ${action.ruleId} names no template`);

  const { config } = deps;
  const unsubscribeUrl = buildUnsubscribeUrl(
    config.unsubscribeUrl,
    user.id,
    config.unsubscribeSecret,
  );
  const context = await buildRenderContext(deps, action, { account, user, unsubscribeUrl });

  // One header with every method, as RFC 2369 lists them; nodemailer's `list` option would
  // write one header per method. The URL is built here, so it contains no '>' or ','.
  const methods = [unsubscribeUrl];
  if (config.unsubscribeMailto)
    methods.push(`mailto:${config.unsubscribeMailto}?subject=unsubscribe`);
  const headers = {
    'List-Unsubscribe': methods.map((method) => `<${method}>`).join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'X-Uptake-Rule': action.ruleId,
  };
  return {
    render() {
      let rendered;
      try {
        rendered = renderEmail(currentTemplates(deps), template, context);
      } catch (error) {
        throw new EmailRenderError(error instanceof Error ? error.message : String(error));
      }
      const { subject, html, text } = rendered;
      return { from: config.from, to, subject, html, text, messageId, headers };
    },
  };
}

function failed(reason: string): NotSent {
  return { status: 'failed', reason };
}
