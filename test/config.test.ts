import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('uses the embedded defaults when nothing is set, and treats empty variables as unset', () => {
    const config = loadConfig({ STOREPULSE_WRITE_KEY: '', STOREPULSE_WAREHOUSE_MEMORY: '', STOREPULSE_SMTP_URL: '' });
    expect(config).toMatchObject({ port: 8080, timeZone: 'UTC', currency: 'GBP', limits: { maxEventBytes: 262_144, maxRequestBytes: 4_194_304 } });
    expect(config.writeKey).toBeUndefined();
    expect(config.warehouseMemory).toBeUndefined();
  });

  it.each([
    [{ STOREPULSE_PORT: 'eighty' }, /STOREPULSE_PORT/],
    [{ STOREPULSE_TIMEZONE: 'Mars/Olympus' }, /STOREPULSE_TIMEZONE must be an IANA time zone/],
    [{ STOREPULSE_MAX_EVENT_BYTES: '-1' }, /STOREPULSE_MAX_EVENT_BYTES must be positive/],
    [{ STOREPULSE_WRITE_KEY: 'short' }, /STOREPULSE_WRITE_KEY must be at least 8 characters/],
    [{ STOREPULSE_WEBHOOK_URL: 'not a url' }, /STOREPULSE_WEBHOOK_URL must be a URL/],
    [{ STOREPULSE_SMTP_URL: 'smtp://127.0.0.1:2525' }, /STOREPULSE_NOTIFY_EMAIL is not/],
  ])('stops with a message naming the variable for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads job schedule overrides', () => {
    expect(loadConfig({ STOREPULSE_SCHEDULE_COUNTRY_SPLIT: '0 3 * * *' }).schedules).toEqual({ 'country-split': '0 3 * * *' });
  });
});
