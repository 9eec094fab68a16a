import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs (pino) on stdout. STOREPULSE_LOG_LEVEL sets the level (tests default to silent);
 * on a terminal they are pretty-printed for people, elsewhere they stay JSON for log shippers.
 */
export function createLogger(name = 'storepulse'): Logger {
  const level = process.env.STOREPULSE_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  const pretty = process.stdout.isTTY && process.env.STOREPULSE_LOG_FORMAT !== 'json';
  if (!pretty) return pino({ name, level });
  return pino({ name, level, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' } } });
}
