import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Creates the process logger. Output is JSON lines unless `pretty` is set,
 * which the CLI does on a terminal. LOG_LEVEL sets the level (default info).
 */
export function createLogger(options: { pretty?: boolean; level?: string } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  if (options.pretty) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino({ level });
}

/** A logger that drops everything, for library callers that pass none. */
export const silentLogger: Logger = pino({ level: 'silent' });
