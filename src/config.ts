/**
 * The one place that reads configuration: environment variables (DESIGN §2), validated at start-up.
 * An invalid value stops the program with a message naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';
import { isValidTimeZone } from './events/time.js';

export class ConfigError extends Error {}

const KIB = 1024;

const positiveInt = (name: string, fallback: number) =>
  z.preprocess((value) => (value === undefined || value === '' ? fallback : Number(value)),
    z.number({ message: `${name} must be a number` }).int(`${name} must be a whole number`).positive(`${name} must be positive`));

/** An empty variable (`FOO=`) means unset, as it does in most shells' eyes. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

const optionalUrl = (name: string) =>
  z.preprocess((value) => (value === '' ? undefined : value),
    z.string().url(`${name} must be a URL`).optional());

const ConfigSchema = z.object({
  STOREPULSE_DATA_DIR: z.string().default('./data'),
  STOREPULSE_HOST: z.string().default('127.0.0.1'),
  STOREPULSE_PORT: z.preprocess((value) => (value === undefined || value === '' ? 8080 : Number(value)),
    z.number({ message: 'STOREPULSE_PORT must be a port number, 0..65535' }).int('STOREPULSE_PORT must be a whole number').min(0, 'STOREPULSE_PORT must be 0..65535').max(65535, 'STOREPULSE_PORT must be 0..65535')),
  STOREPULSE_PUBLIC_URL: optionalUrl('STOREPULSE_PUBLIC_URL'),
  STOREPULSE_WRITE_KEY: unsetIfEmpty(z.string().min(8, 'STOREPULSE_WRITE_KEY must be at least 8 characters').optional()),
  STOREPULSE_READ_KEY: unsetIfEmpty(z.string().min(8, 'STOREPULSE_READ_KEY must be at least 8 characters').optional()),
  STOREPULSE_TIMEZONE: z.string().default('UTC').refine(isValidTimeZone, 'STOREPULSE_TIMEZONE must be an IANA time zone like Europe/London'),
  STOREPULSE_SHOP_NAME: z.string().default('storepulse demo shop'),
  STOREPULSE_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'STOREPULSE_CURRENCY must be an ISO-4217 code like GBP').default('GBP'),
  STOREPULSE_MAX_EVENT_BYTES: positiveInt('STOREPULSE_MAX_EVENT_BYTES', 256 * KIB),
  STOREPULSE_MAX_REQUEST_BYTES: positiveInt('STOREPULSE_MAX_REQUEST_BYTES', 4 * KIB * KIB),
  STOREPULSE_BATCH_ROWS: positiveInt('STOREPULSE_BATCH_ROWS', 10_000),
  STOREPULSE_BATCH_MS: positiveInt('STOREPULSE_BATCH_MS', 1000),
  STOREPULSE_HOT_DAYS: positiveInt('STOREPULSE_HOT_DAYS', 7),
  STOREPULSE_WAREHOUSE_MEMORY: unsetIfEmpty(z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'STOREPULSE_WAREHOUSE_MEMORY must be a size like 512MB').optional()),
  STOREPULSE_LOG_SYNC: z.enum(['normal', 'full'], { message: 'STOREPULSE_LOG_SYNC must be normal or full' }).default('normal'),
  STOREPULSE_SMTP_URL: optionalUrl('STOREPULSE_SMTP_URL'),
  STOREPULSE_NOTIFY_EMAIL: unsetIfEmpty(z.string().email('STOREPULSE_NOTIFY_EMAIL must be an email address').optional()),
  STOREPULSE_WEBHOOK_URL: optionalUrl('STOREPULSE_WEBHOOK_URL'),
  STOREPULSE_POSTGRES_URL: optionalUrl('STOREPULSE_POSTGRES_URL'),
  STOREPULSE_REDIS_URL: optionalUrl('STOREPULSE_REDIS_URL'),
  STOREPULSE_CLICKHOUSE_URL: optionalUrl('STOREPULSE_CLICKHOUSE_URL'),
});

export interface Config {
  dataDir: string;
  host: string;
  port: number;
  publicUrl?: string;
  writeKey?: string;
  readKey?: string;
  timeZone: string;
  shopName: string;
  currency: string;
  limits: { maxEventBytes: number; maxRequestBytes: number };
  consumer: { batchRows: number; batchMs: number };
  hotDays: number;
  logSync: 'normal' | 'full';
  /** DuckDB's memory cap; unset: DuckDB's default (80% of RAM). */
  warehouseMemory?: string;
  notify: { smtpUrl?: string; email?: string; webhookUrl?: string };
  engines: { postgresUrl?: string; redisUrl?: string; clickhouseUrl?: string };
  /** Job schedules by job name, from STOREPULSE_SCHEDULE_<JOB> (cron expression, or "off"). */
  schedules: Record<string, string>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `- ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}\nFix the variable(s) above and start again.`);
  }
  const e = parsed.data;
  if (e.STOREPULSE_SMTP_URL && !e.STOREPULSE_NOTIFY_EMAIL) {
    throw new ConfigError('STOREPULSE_SMTP_URL is set but STOREPULSE_NOTIFY_EMAIL is not: set the address to send notifications to.');
  }
  return {
    dataDir: path.resolve(e.STOREPULSE_DATA_DIR),
    host: e.STOREPULSE_HOST,
    port: e.STOREPULSE_PORT,
    publicUrl: e.STOREPULSE_PUBLIC_URL,
    writeKey: e.STOREPULSE_WRITE_KEY,
    readKey: e.STOREPULSE_READ_KEY,
    timeZone: e.STOREPULSE_TIMEZONE,
    shopName: e.STOREPULSE_SHOP_NAME,
    currency: e.STOREPULSE_CURRENCY,
    limits: { maxEventBytes: e.STOREPULSE_MAX_EVENT_BYTES, maxRequestBytes: e.STOREPULSE_MAX_REQUEST_BYTES },
    consumer: { batchRows: e.STOREPULSE_BATCH_ROWS, batchMs: e.STOREPULSE_BATCH_MS },
    hotDays: e.STOREPULSE_HOT_DAYS,
    logSync: e.STOREPULSE_LOG_SYNC,
    warehouseMemory: e.STOREPULSE_WAREHOUSE_MEMORY,
    notify: { smtpUrl: e.STOREPULSE_SMTP_URL, email: e.STOREPULSE_NOTIFY_EMAIL, webhookUrl: e.STOREPULSE_WEBHOOK_URL },
    engines: { postgresUrl: e.STOREPULSE_POSTGRES_URL, redisUrl: e.STOREPULSE_REDIS_URL, clickhouseUrl: e.STOREPULSE_CLICKHOUSE_URL },
    schedules: readSchedules(env),
    ...overrides,
  };
}

function readSchedules(env: NodeJS.ProcessEnv): Record<string, string> {
  const schedules: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^STOREPULSE_SCHEDULE_([A-Z_]+)$/.exec(name);
    if (match && value) schedules[match[1].toLowerCase().replace(/_/g, '-')] = value;
  }
  return schedules;
}
