/** Runs test/cli/storepulse-jobs.ts as a child process, as a user runs storepulse; and a small shop to run it on. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openApp, type App } from '../../src/app.js';
import { countrySplitJob } from '../../src/jobs/country-split.js';
import { queryJob } from '../../src/jobs/query.js';
import { createScheduler, type Scheduler } from '../../src/jobs/scheduler.js';
import { clearServerInfo, writeServerInfo } from '../../src/server-info.js';
import { buildServer } from '../../src/web/server.js';
import { pipelineRoutes } from '../../src/web/pipeline.js';
import { queryRoutes } from '../../src/web/queries.js';
import { repoRoot, type CommandResult } from '../helpers/process.js';
import { loadEvents, order } from '../jobs/helpers.js';

export const KEYS = { STOREPULSE_WRITE_KEY: 'cli-test-write-key', STOREPULSE_READ_KEY: 'cli-test-read-key' };
const entry = path.join(repoRoot, 'test/cli/storepulse-jobs.ts');

export function runCli(args: string[], env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: repoRoot, env: { ...process.env, STOREPULSE_LOG_LEVEL: 'warn', ...KEYS, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function openShop(dataDir: string): Promise<App> {
  return openApp(loadConfig({ STOREPULSE_DATA_DIR: dataDir, ...KEYS }), createLogger());
}

/** Two countries; France has a cancellation on 2011-01-04. */
export async function seedShop(dataDir: string): Promise<void> {
  const app = await openShop(dataDir);
  try {
    await loadEvents(app, [
      order('F1', '2011-01-03T10:00:00Z', 'France', [{ product_id: 'P1', quantity: 2, unit_price: '2.50' }, { product_id: 'P2', quantity: 1, unit_price: '0.85' }]),
      order('N1', '2011-01-03T11:00:00Z', 'Netherlands', [{ product_id: 'P2', quantity: 24, unit_price: '0.85' }]),
      order('CF2', '2011-01-04T09:00:00Z', 'France', [{ product_id: 'P1', quantity: -1, unit_price: '2.50' }], { cancellation: true }),
    ]);
  } finally {
    await app.close();
  }
}

export interface TestServer { app: App; scheduler: Scheduler; server: FastifyInstance; url: string; stop(): Promise<void> }

/** A server that owns the data dir, as `storepulse start` would: the CLI must talk to it. */
export async function startTestServer(dataDir: string): Promise<TestServer> {
  const app = await openShop(dataDir);
  const scheduler = createScheduler({ jobs: [countrySplitJob(app), queryJob(app)], store: app.store, notifier: app.notifier, logger: app.logger });
  const server = await buildServer({
    app, keys: { writeKey: KEYS.STOREPULSE_WRITE_KEY, readKey: KEYS.STOREPULSE_READ_KEY, generated: false },
    apiPlugins: [
      async (api) => pipelineRoutes(api, { app, scheduler, writeKey: KEYS.STOREPULSE_WRITE_KEY }),
      async (api) => queryRoutes(api, { app, runQueries: () => scheduler.trigger('query') }),
    ],
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  app.baseUrl = url;
  writeServerInfo(dataDir, { pid: process.pid, url, startedAt: new Date().toISOString() });
  return {
    app, scheduler, server, url,
    async stop() {
      clearServerInfo(dataDir);
      await scheduler.stop();
      await server.close();
      await app.close();
    },
  };
}
