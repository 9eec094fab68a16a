import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs (pino). STOREPULSE_LOG_LEVEL sets the level; tests default to silent. */
export function createLogger(name = 'storepulse'): Logger {
  const level = process.env.STOREPULSE_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  return pino({ name, level });
}
