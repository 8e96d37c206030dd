import { createLogger, type Logger } from '../logger';
import { loadConfig, type ServiceConfig } from './config';
import type { RunningService } from './service';

/** Thrown when the configuration is invalid; the message lists one line per bad setting. */
export class ConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid configuration:\n${errors.map((error) => `  ${error}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Loads and validates the configuration, throwing a ConfigError that names each bad setting. */
export function loadConfigOrThrow(env: NodeJS.ProcessEnv, configPath?: string): ServiceConfig {
  const load = loadConfig(env, configPath);
  if (!load.ok) throw new ConfigError(load.errors);
  return load.config;
}

/** Creates the service logger: pretty on a terminal, JSON lines otherwise. */
export function createServiceLogger(config: ServiceConfig): Logger {
  return createLogger({ pretty: Boolean(process.stdout.isTTY), level: config.logLevel });
}

/** Signals arriving this soon after the first are the same request delivered twice. */
const repeatedSignalWindowMs = 1_000;

/**
 * Keeps the service running until SIGINT or SIGTERM, then shuts it down
 * gracefully. A second signal a second or more later exits at once. Resolves with
 * the exit code: 0 after a signal, 1 when the worker stopped on its own.
 */
export function runUntilSignal(service: RunningService, logger: Logger): Promise<number> {
  return new Promise((resolve) => {
    let stoppingSince: number | undefined;
    const stop = (reason: string, code: number) => {
      if (stoppingSince !== undefined) {
        // Ctrl-C under `npm start` reaches this process twice at once: from the terminal and
        // forwarded by npm. Only a later, deliberate second request skips the graceful stop.
        if (Date.now() - stoppingSince < repeatedSignalWindowMs) return;
        logger.warn({ reason }, 'second stop request: exiting without waiting');
        process.exit(code || 130);
      }
      stoppingSince = Date.now();
      logger.info({ reason }, 'shutting down');
      service
        .close()
        .then(() => {
          logger.info({}, 'stopped');
          resolve(code);
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        });
    };
    process.on('SIGINT', () => stop('SIGINT', 0));
    process.on('SIGTERM', () => stop('SIGTERM', 0));
    void service.workerStopped.then(() => {
      if (stoppingSince === undefined) stop('worker stopped', 1);
    });
  });
}
