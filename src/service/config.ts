import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../config';

/**
 * Every setting of `uptake serve`, by the environment variable that sets it.
 * A JSON config file uses the same names as keys; the environment wins over the file.
 */
const settingSchemas = {
  UPTAKE_DATA_DIR: z.string().min(1).default('.uptake'),
  UPTAKE_DB: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  UPTAKE_API_TOKEN: z.string().min(16).optional(),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d{1,5}$/)
    .optional(),
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('default'),
  UPTAKE_TASK_QUEUE: z.string().min(1).default('uptake'),
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/ })
    .refine(hasDecodableCredentials)
    .optional(),
  EMAIL_FROM: z
    .string()
    .regex(/^([^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/)
    .default('Uptake <uptake@localhost>'),
  UPTAKE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  UPTAKE_UNSUBSCRIBE_SECRET: z.string().min(32).optional(),
  UPTAKE_WEBHOOK_SECRET: z.string().min(32).optional(),
  UPTAKE_APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  UPTAKE_RULES_DIR: z.string().min(1).default(resolve(projectRoot, 'rules')),
  UPTAKE_TEMPLATES_DIR: z.string().min(1).default(resolve(projectRoot, 'templates')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UPTAKE_MAX_BATCH: z.coerce.number().int().min(1).max(100_000).default(10_000),
  UPTAKE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 ** 3)
    .default(16 * 1024 ** 2),
  UPTAKE_FEEDBACK_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  UPTAKE_PRODUCT_OWNER: z.string().min(1).default('product-team'),
  // Accepts only the documented true and false, because zod's stringbool also accepts yes, on and 1.
  UPTAKE_METRICS_PUBLIC: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
} as const;

/** Expected form of each setting, as the error message states it. */
const expectations: Record<SettingName, string> = {
  UPTAKE_DATA_DIR: 'a folder path',
  UPTAKE_DB: 'a file path for the SQLite store',
  PORT: 'an integer from 0 to 65535',
  HOST: 'an interface address such as 127.0.0.1',
  UPTAKE_API_TOKEN: 'a secret of at least 16 characters, or unset to generate one',
  TEMPORAL_ADDRESS: 'host:port of a Temporal frontend, or unset to start the dev server',
  TEMPORAL_NAMESPACE: 'a namespace name of letters, digits, dots, dashes or underscores',
  UPTAKE_TASK_QUEUE: 'a non-empty task queue name',
  TEMPORAL_DEV_PORT: 'an integer from 1 to 65535',
  TEMPORAL_UI_PORT: 'an integer from 1 to 65535',
  SMTP_URL:
    'an smtp:// or smtps:// URL with a port from 1 to 65535 and a percent-encoded user and password, or unset to write .eml files to the outbox folder',
  EMAIL_FROM: 'an address or "Name <address>", such as "Uptake <cs@example.com>"',
  UPTAKE_PUBLIC_URL: 'the http(s) URL where users reach this service, for unsubscribe links',
  UPTAKE_UNSUBSCRIBE_SECRET: 'a secret of at least 32 characters, or unset to generate one',
  UPTAKE_WEBHOOK_SECRET: 'a secret of at least 32 characters, or unset to generate one',
  UPTAKE_APP_URL: 'the http(s) URL of your product, for links in emails and notices',
  UPTAKE_RULES_DIR: 'a folder of rule files',
  UPTAKE_TEMPLATES_DIR: 'a folder of templates',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  UPTAKE_MAX_BATCH: 'an integer from 1 to 100000 (items per ingest request)',
  UPTAKE_MAX_BODY_BYTES: 'an integer from 1024 to 1073741824 (bytes per request body)',
  UPTAKE_FEEDBACK_WEBHOOK_URL: 'an http(s) URL that receives feedback, or unset to route by task',
  UPTAKE_PRODUCT_OWNER: 'the owner name of product-team tasks',
  UPTAKE_METRICS_PUBLIC: 'true or false (whether /metrics is readable without the token)',
};

type SettingName = keyof typeof settingSchemas;

/** Settings whose values never appear in messages: SMTP URLs may carry a password. */
const secretSettings = new Set<string>([
  'UPTAKE_API_TOKEN',
  'UPTAKE_UNSUBSCRIBE_SECRET',
  'UPTAKE_WEBHOOK_SECRET',
  'SMTP_URL',
]);

function describeValue(name: string, raw: unknown): string {
  return secretSettings.has(name) ? '(value hidden)' : JSON.stringify(raw);
}
type Settings = { [K in SettingName]: z.output<(typeof settingSchemas)[K]> };

/** Validated service settings, with paths made absolute and secrets still optional. */
export interface ServiceConfig {
  dataDir: string;
  dbPath: string;
  port: number;
  host: string;
  apiToken?: string;
  temporalAddress?: string;
  temporalNamespace: string;
  taskQueue: string;
  temporalDevPort: number;
  temporalUiPort: number;
  smtpUrl?: string;
  emailFrom: string;
  publicUrl?: string;
  unsubscribeSecret?: string;
  webhookSecret?: string;
  appUrl?: string;
  rulesDir: string;
  templatesDir: string;
  logLevel: string;
  maxBatchSize: number;
  maxBodyBytes: number;
  feedbackWebhookUrl?: string;
  productOwner: string;
  metricsPublic: boolean;
}

/** The outcome of reading the configuration: settings, or one message per bad setting. */
export type ConfigLoad = { ok: true; config: ServiceConfig } | { ok: false; errors: string[] };

/**
 * Reads the settings from `env` over the optional JSON file at `configPath`
 * (or UPTAKE_CONFIG). Each bad setting yields one message naming it, the
 * value received and what it should be.
 */
export function loadConfig(env: NodeJS.ProcessEnv, configPath?: string): ConfigLoad {
  const filePath = configPath ?? env.UPTAKE_CONFIG;
  const file = filePath ? readConfigFile(filePath) : { values: {}, errors: [] };
  if (file.errors.length > 0) return { ok: false, errors: file.errors };

  const errors: string[] = [];
  const settings: Partial<Record<SettingName, unknown>> = {};
  for (const name of Object.keys(settingSchemas) as SettingName[]) {
    const raw = pickRaw(env[name], file.values[name]);
    const parsed = settingSchemas[name].safeParse(raw);
    if (parsed.success) settings[name] = parsed.data;
    else
      errors.push(`${name}=${describeValue(name, raw)} is invalid: expected ${expectations[name]}`);
  }
  const unknown = Object.keys(file.values).filter((key) => !(key in settingSchemas));
  for (const key of unknown) errors.push(`${key} in ${filePath} is not a known setting`);
  if (errors.length > 0) return { ok: false, errors };

  return { ok: true, config: toServiceConfig(settings as Settings) };
}

/** Treats an empty environment variable as unset, as shells often export them empty. */
function pickRaw(fromEnv: string | undefined, fromFile: unknown): unknown {
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (typeof fromFile === 'number' || typeof fromFile === 'boolean') return String(fromFile);
  return fromFile;
}

function readConfigFile(path: string): { values: Record<string, unknown>; errors: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { values: {}, errors: [`config file ${path} cannot be read (${reason})`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { values: {}, errors: [`config file ${path} is not valid JSON: ${String(error)}`] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { values: {}, errors: [`config file ${path} must hold one JSON object of settings`] };
  }
  return { values: parsed as Record<string, unknown>, errors: [] };
}

function toServiceConfig(settings: Settings): ServiceConfig {
  const dataDir = resolve(settings.UPTAKE_DATA_DIR);
  return {
    dataDir,
    dbPath: resolve(settings.UPTAKE_DB ?? resolve(dataDir, 'uptake.sqlite')),
    port: settings.PORT,
    host: settings.HOST,
    apiToken: settings.UPTAKE_API_TOKEN,
    temporalAddress: settings.TEMPORAL_ADDRESS,
    temporalNamespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: settings.UPTAKE_TASK_QUEUE,
    temporalDevPort: settings.TEMPORAL_DEV_PORT,
    temporalUiPort: settings.TEMPORAL_UI_PORT,
    smtpUrl: settings.SMTP_URL,
    emailFrom: settings.EMAIL_FROM,
    publicUrl: settings.UPTAKE_PUBLIC_URL?.replace(/\/+$/, ''),
    unsubscribeSecret: settings.UPTAKE_UNSUBSCRIBE_SECRET,
    webhookSecret: settings.UPTAKE_WEBHOOK_SECRET,
    appUrl: settings.UPTAKE_APP_URL?.replace(/\/+$/, ''),
    rulesDir: resolve(settings.UPTAKE_RULES_DIR),
    templatesDir: resolve(settings.UPTAKE_TEMPLATES_DIR),
    logLevel: settings.LOG_LEVEL,
    maxBatchSize: settings.UPTAKE_MAX_BATCH,
    maxBodyBytes: settings.UPTAKE_MAX_BODY_BYTES,
    feedbackWebhookUrl: settings.UPTAKE_FEEDBACK_WEBHOOK_URL,
    productOwner: settings.UPTAKE_PRODUCT_OWNER,
    metricsPublic: settings.UPTAKE_METRICS_PUBLIC,
  };
}

/** Returns whether the user and password of `url` decode, as nodemailer decodes them to log in. */
function hasDecodableCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
    return true;
  } catch {
    return false;
  }
}
