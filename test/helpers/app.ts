/** A real app (SQLite log and store, DuckDB warehouse) in a temp data dir, and its server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openApp, type App, type AppOptions } from '../../src/app.js';
import { buildServer } from '../../src/web/server.js';

export const WRITE_KEY = 'test-write-key';
export const READ_KEY = 'test-read-key';

export interface TestApp {
  app: App;
  server: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
}

export async function openTestApp(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-test-'));
  const config = loadConfig({ STOREPULSE_DATA_DIR: dataDir, STOREPULSE_WRITE_KEY: WRITE_KEY, STOREPULSE_READ_KEY: READ_KEY, ...env });
  const app = await openApp(config, createLogger(), options);
  const server = await buildServer({ app, keys: { writeKey: WRITE_KEY, readKey: READ_KEY, generated: false } });
  return {
    app, server, dataDir,
    async close() {
      await server.close();
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const writeHeaders = { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json' };
export const readHeaders = { authorization: `Bearer ${READ_KEY}` };

export function orderEvent(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id, type: 'order', ts: '2011-11-14T08:26:00Z', order_id: id, customer_id: 'C1', country: 'France', currency: 'GBP',
    lines: [{ product_id: 'P1', description: 'Mug', quantity: 2, unit_price: '2.50' }],
    ...overrides,
  };
}
