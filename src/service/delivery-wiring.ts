import { join } from 'node:path';
import { createDeliveryActivities } from '../../activities/deliver';
import { createMailTransport, type MailTransport } from '../delivery/mail-transport';
import { createSignalsFactsLoader } from '../delivery/signals-facts';
import type { Logger } from '../logger';
import type { Store } from '../store/database';
import type { DeliveryFactory } from '../temporal/worker';
import type { ServiceConfig } from './config';
import type { ServiceSecrets } from './secrets';

/** Splits `Name <address>` (or a bare address) into its parts. */
export function parseSender(from: string): { name: string; address: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(from);
  if (!match) return { name: '', address: from.trim() };
  return { name: (match[1] ?? '').replace(/^"|"$/g, ''), address: match[2] as string };
}

/** Returns the folder of .eml files, used when SMTP_URL is unset. */
export function outboxDir(config: ServiceConfig): string {
  return join(config.dataDir, 'outbox');
}

/** Creates the mail transport of the settings: SMTP when SMTP_URL is set, else .eml files. */
export function createServiceMailTransport(config: ServiceConfig): MailTransport {
  return createMailTransport({
    ...(config.smtpUrl ? { smtpUrl: config.smtpUrl } : {}),
    outboxDir: outboxDir(config),
  });
}

/**
 * Returns the builder of the delivery activities the worker registers: SMTP
 * when SMTP_URL is set or .eml files in <data>/outbox, and unsubscribe links
 * under the public URL. createWorker calls it with a function that returns
 * the templates in force. `transport` defaults to a new one from the settings. The worker loads the templates folder at start-up,
 * where a template error stops start-up with the file and line, and reloads
 * the folder while it runs.
 */
export function buildDeliveryActivities(
  config: ServiceConfig,
  secrets: ServiceSecrets,
  store: Store,
  logger: Logger,
  publicUrl: string,
  transport: MailTransport = createServiceMailTransport(config),
): DeliveryFactory {
  logger.info(
    transport.kind === 'eml' ? { outboxDir: outboxDir(config) } : { relay: transport.relay },
    transport.kind === 'eml' ? 'emails go to .eml files' : 'emails go to the SMTP relay',
  );
  return (templates) =>
    createDeliveryActivities({
      store,
      templates,
      transport,
      config: {
        from: parseSender(config.emailFrom),
        appUrl: config.appUrl ?? publicUrl,
        unsubscribeUrl: `${publicUrl}/v1/unsubscribe`,
        unsubscribeSecret: secrets.unsubscribeSecret,
        webhookSecret: secrets.webhookSecret,
      },
      logger,
      loadFacts: createSignalsFactsLoader(),
    });
}
