import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceConfig } from './config';

/** The two secrets the service needs, and where each came from. */
export interface ServiceSecrets {
  apiToken: string;
  /** File that contains the API token when it was not set in the configuration. */
  apiTokenFile?: string;
  unsubscribeSecret: string;
  unsubscribeSecretFile?: string;
  /** HMAC key of webhook signatures. */
  webhookSecret: string;
}

/**
 * Returns the configured API token, unsubscribe secret and webhook secret, or
 * reads them from (creating when absent) `api-token`, `unsubscribe-secret` and
 * `webhook-secret` in the data folder, readable by the owner only. Keeping them in files means a restart
 * reuses them, so old unsubscribe links and API clients keep working.
 */
export function ensureSecrets(config: ServiceConfig): ServiceSecrets {
  mkdirSync(config.dataDir, { recursive: true });
  const secrets: ServiceSecrets = { apiToken: '', unsubscribeSecret: '', webhookSecret: '' };

  if (config.apiToken) secrets.apiToken = config.apiToken;
  else {
    secrets.apiTokenFile = join(config.dataDir, 'api-token');
    secrets.apiToken = readOrCreateSecret(secrets.apiTokenFile);
  }

  if (config.unsubscribeSecret) secrets.unsubscribeSecret = config.unsubscribeSecret;
  else {
    secrets.unsubscribeSecretFile = join(config.dataDir, 'unsubscribe-secret');
    secrets.unsubscribeSecret = readOrCreateSecret(secrets.unsubscribeSecretFile);
  }
  secrets.webhookSecret =
    config.webhookSecret ?? readOrCreateSecret(join(config.dataDir, 'webhook-secret'));
  return secrets;
}

function readOrCreateSecret(path: string): string {
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  return secret;
}
