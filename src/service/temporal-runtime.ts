import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Logger } from '../logger';

const pinoLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Forwards the Temporal SDK's log lines (worker, workflows, activities) to pino. */
function toTemporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) =>
    logger[pinoLevels[level]]({ ...meta }, message);
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/**
 * Sends the Temporal SDK's logs through the service logger, so they share its
 * level and format instead of going to stderr. The runtime is process-wide and
 * can be installed once. When something created it earlier (a test, say),
 * this logs a warning and the SDK keeps its own logger.
 */
export function installTemporalRuntimeLogger(logger: Logger): void {
  try {
    Runtime.install({ logger: toTemporalLogger(logger.child({ component: 'temporal' })) });
  } catch (error) {
    logger.warn(
      { err: error },
      'Temporal runtime already installed; its logs keep their own format',
    );
  }
}
