import type { Logger } from 'pino';
import type { Store } from '../store/database';
import type { AccountFacts } from '../signals/catalog';
import type { LoadedTemplates } from '../templates/load-templates';
import type { MailTransport } from './mail-transport';

/** Settings of the delivery channels; the service fills them from its configuration. */
export interface DeliveryConfig {
  /** Sender of every email. */
  from: { name: string; address: string };
  /** Base URL of the product, for links in templates. */
  appUrl: string;
  /** One-click unsubscribe endpoint; the signed token is added as `?token=`. Should be https. */
  unsubscribeUrl: string;
  /** Optional mailbox for List-Unsubscribe by mail, for example unsubscribe@example.com. */
  unsubscribeMailto?: string;
  /** HMAC key of unsubscribe tokens. */
  unsubscribeSecret: string;
  /** HMAC key of webhook signatures. */
  webhookSecret: string;
  webhook?: WebhookRetryOptions;
}

/** Bounds of the webhook retry loop. */
export interface WebhookRetryOptions {
  /** Total attempts including the first (default 4). */
  attempts?: number;
  /** Delay before the second attempt in ms, doubled after each (default 500). */
  backoffMs?: number;
  /** Per-request timeout in ms (default 10000). */
  timeoutMs?: number;
}

/**
 * Loads the facts of an account as of an instant, for template rendering.
 * The lifecycle and service wire it to the signals module; without it
 * templates see only the evidence stored with the planned action.
 */
export type FactsLoader = (
  store: Store,
  accountId: string,
  asOf: number,
) => Promise<AccountFacts | undefined>;

/** Dependencies of the delivery activities, supplied by the process that runs them. */
export interface DeliveryDeps {
  store: Store;
  /**
   * The templates, or a function that returns the set in force, which each
   * send calls again so that a reloaded folder applies to the next message.
   */
  templates: LoadedTemplates | (() => LoadedTemplates);
  transport: MailTransport;
  config: DeliveryConfig;
  logger: Logger;
  loadFacts?: FactsLoader;
  /** Clock for stored instants; Date.now unless a test sets it. */
  now?: () => number;
  /** Lifetime of an outbox lease in ms unless renewed (default 15 s). */
  leaseMs?: number;
}

/** Returns the templates in force for this send. */
export function currentTemplates(deps: Pick<DeliveryDeps, 'templates'>): LoadedTemplates {
  return typeof deps.templates === 'function' ? deps.templates() : deps.templates;
}
