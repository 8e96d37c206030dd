import type { Command } from 'commander';
import type { ServiceConfig } from '../../service/config';
import { createServiceLogger, loadConfigOrThrow, runUntilSignal } from '../../service/lifecycle';
import { startService, type RunningService } from '../../service/service';

const settingsHelp = `
Settings (environment variables, or the same names as keys of a JSON file given
with --config or UPTAKE_CONFIG; the environment wins):
  UPTAKE_DATA_DIR            data folder (default .uptake)
  UPTAKE_DB                  SQLite file (default <data>/uptake.sqlite)
  HOST, PORT                 HTTP listen address (default 127.0.0.1:3000)
  UPTAKE_API_TOKEN           bearer token; unset: generated into <data>/api-token
  TEMPORAL_ADDRESS           host:port of Temporal; unset: start the dev server
  TEMPORAL_NAMESPACE         namespace (default default)
  UPTAKE_TASK_QUEUE          task queue (default uptake)
  TEMPORAL_DEV_PORT          dev server gRPC port (default 7233)
  TEMPORAL_UI_PORT           dev server Web UI port (default 8233)
  SMTP_URL                   smtp(s)://user:pass@host:port; unset: .eml files in <data>/outbox
  EMAIL_FROM                 sender (default "Uptake <uptake@localhost>")
  UPTAKE_PUBLIC_URL          base URL users reach, for unsubscribe links (default the API URL)
  UPTAKE_UNSUBSCRIBE_SECRET  HMAC key of unsubscribe links; unset: generated into <data>
  UPTAKE_WEBHOOK_SECRET      HMAC key of webhook signatures; unset: generated into <data>
  UPTAKE_APP_URL             your product's URL, for links in emails (default UPTAKE_PUBLIC_URL)
  UPTAKE_RULES_DIR           rule files (default rules/)
  UPTAKE_TEMPLATES_DIR       templates (default templates/)
  UPTAKE_FEEDBACK_WEBHOOK_URL  product-team webhook for feedback; unset: a task for
                             UPTAKE_PRODUCT_OWNER (default product-team)
  UPTAKE_MAX_BATCH           max items per ingest request (default 10000)
  UPTAKE_MAX_BODY_BYTES      max request body in bytes (default 16 MiB)
  UPTAKE_METRICS_PUBLIC      true: /metrics needs no token (default false)
  LOG_LEVEL                  fatal, error, warn, info, debug, trace or silent (default info)
`;

/** Prints where to reach a started service; never the token itself. */
export function printServiceSummary(service: RunningService): void {
  const tokenSource = service.secrets.apiTokenFile
    ? `stored in ${service.secrets.apiTokenFile}`
    : 'from UPTAKE_API_TOKEN';
  console.log(`Uptake API:      ${service.url} (OpenAPI: ${service.url}/openapi.json)`);
  console.log(`API token:       ${tokenSource}`);
  if (service.temporalUiUrl) console.log(`Temporal Web UI: ${service.temporalUiUrl}`);
  console.log(`Temporal:        ${service.temporalAddress}`);
}

/** Starts the service from validated settings, printing each bad setting and exiting 1 on error. */
export async function startFromCli(
  configPath: string | undefined,
  adjust?: (config: ServiceConfig) => ServiceConfig,
): Promise<
  { service: RunningService; logger: ReturnType<typeof createServiceLogger> } | undefined
> {
  let config: ServiceConfig;
  try {
    config = loadConfigOrThrow(process.env, configPath);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return undefined;
  }
  if (adjust) config = adjust(config);
  const logger = createServiceLogger(config);
  const service = await startService(config, logger);
  return { service, logger };
}

/**
 * Ends the process once the service has shut down.
 * NOTE: the worker's rule-folder watcher has no stop hook here, so the event loop would stay alive.
 */
export function exitAfterShutdown(code: number): void {
  process.exit(code);
}

/** Registers `uptake serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Run Uptake: HTTP API, Temporal worker, and (without TEMPORAL_ADDRESS) the Temporal dev server',
    )
    .option('--config <file>', 'JSON file of settings (same names as the environment variables)')
    .addHelpText('after', settingsHelp)
    .action(async (options: { config?: string }) => {
      const started = await startFromCli(options.config);
      if (!started) return;
      printServiceSummary(started.service);
      exitAfterShutdown(await runUntilSignal(started.service, started.logger));
    });
}
