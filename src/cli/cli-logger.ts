import { destination, pino, type Logger } from 'pino';

/**
 * The logger of commands that print results (jobs, query): logs go to stderr so that stdout holds
 * only the result (a table, JSON for scripts), and only warnings and errors unless
 * STOREPULSE_LOG_LEVEL asks for more.
 */
export function cliLogger(name = 'storepulse'): Logger {
  return pino({ name, level: process.env.STOREPULSE_LOG_LEVEL ?? 'warn' }, destination(2));
}
