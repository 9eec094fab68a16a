/** `storepulse start` (the server) and `storepulse demo` (seed the demo shop, then start). */
import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { openApp, type App } from '../app.js';
import { buildServer } from '../web/server.js';
import { resolveKeys, type ApiKeys } from '../web/keys.js';
import { clearServerInfo, writeServerInfo } from '../server-info.js';
import { seedDemo } from './demo.js';
import { runSimulator } from '../demo/simulator.js';

const DEMO_TRAFFIC_PER_SECOND = 5;
import { createAppScheduler } from '../jobs/index.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { watchInbox } from '../jobs/inbox.js';
import { inboxRoutes } from '../web/inbox.js';
import { pipelineRoutes } from '../web/pipeline.js';
import { queryRoutes } from '../web/queries.js';
import { publicRoutes, reportRoutes } from '../web/reports.js';

export interface RunningServer {
  app: App;
  scheduler: Scheduler;
  url: string;
  keys: ApiKeys;
  stop(): Promise<void>;
}

/** The action of `storepulse start` and `storepulse demo` (registered in start-command.ts). */
export async function runServerCommand(options: { port?: string; host?: string }, mode: { demo: boolean }): Promise<void> {
  const config = configWithFlags(options);
  const logger = createLogger();
  const server = await startServer(config, logger, mode.demo ? (app) => seedDemo(app) : undefined);
  printWelcome(server, config, mode.demo);
  const stopDemoTraffic = mode.demo ? startDemoActivity(server, logger) : undefined;
  stopOnSignals(server, logger, stopDemoTraffic);
}

function configWithFlags(options: { port?: string; host?: string }): Config {
  const env = { ...process.env };
  if (options.port !== undefined) env.STOREPULSE_PORT = options.port;
  if (options.host !== undefined) env.STOREPULSE_HOST = options.host;
  return loadConfig(env);
}

/** Opens the data dir, optionally prepares it, and serves; used by the CLI and end-to-end tests. */
export async function startServer(config: Config, logger: Logger, prepare?: (app: App) => Promise<void>, options: { consumer?: boolean } = {}): Promise<RunningServer> {
  const app = await openApp(config, logger);
  try {
    if (prepare) await prepare(app);
    const keys = resolveKeys(config.dataDir, { writeKey: config.writeKey, readKey: config.readKey });
    const scheduler = createAppScheduler(app);
    const onInboxArrival = () => scheduler.trigger('inbox');
    const server = await buildServer({
      app, keys,
      apiPlugins: [
        (api) => inboxRoutes(api, { app, onArrival: onInboxArrival, writeKey: keys.writeKey }),
        (api) => pipelineRoutes(api, { app, scheduler, writeKey: keys.writeKey }),
        (api) => queryRoutes(api, { app, runQueries: () => scheduler.trigger('query') }),
        (api) => reportRoutes(api, { app }),
      ],
      openPlugins: [(open) => publicRoutes(open, { app })],
    });
    if (options.consumer !== false) app.consumer.start();
    await server.listen({ port: config.port, host: config.host });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    app.baseUrl = url;
    writeServerInfo(config.dataDir, { pid: process.pid, url, startedAt: new Date().toISOString() });
    scheduler.start();
    const stopWatchingInbox = watchInbox(app, onInboxArrival);
    // Files copied into the inbox, and queries submitted, while the server was down are handled now.
    scheduler.trigger('inbox');
    scheduler.trigger('query');
    let stopped = false;
    return {
      app, scheduler, url, keys,
      async stop() {
        if (stopped) return;
        stopped = true;
        stopWatchingInbox();
        await server.close();
        await scheduler.stop();
        await app.close();
        clearServerInfo(config.dataDir);
      },
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}

function printWelcome(server: RunningServer, config: Config, demo: boolean): void {
  const lines = [
    '',
    `storepulse is running${demo ? ' with the demo shop' : ''} (data in ${config.dataDir})`,
    `  ingest:   POST ${server.url}/v1/events      Authorization: Bearer ${server.keys.writeKey}`,
    `  query:    GET  ${server.url}/api/kpis       Authorization: Bearer ${server.keys.readKey}`,
    `  try:      curl -H 'Authorization: Bearer ${server.keys.readKey}' '${server.url}/api/kpis/totals'`,
    `  health:   ${server.url}/healthz   ${server.url}/readyz`,
    server.keys.generated ? `  keys were generated and saved in ${config.dataDir}/keys.json (set STOREPULSE_WRITE_KEY / STOREPULSE_READ_KEY to choose them)` : '',
    'Stop with Ctrl-C.',
    '',
  ];
  process.stdout.write(lines.filter((line) => line !== '').join('\n') + '\n');
}

/**
 * So that a newcomer sees the pipeline work within a minute: live traffic from the simulator, and
 * one run of each output job (attention counters, country split, lake, weekly report).
 */
function startDemoActivity(server: RunningServer, logger: Logger): () => void {
  const controller = new AbortController();
  void runSimulator({ url: server.url, writeKey: server.keys.writeKey, rate: DEMO_TRAFFIC_PER_SECOND, signal: controller.signal, currency: server.app.config.currency })
    .catch((error: unknown) => logger.warn({ err: error }, 'demo traffic stopped'));
  void (async () => {
    for (const job of ['attention', 'country-split', 'lake', 'weekly-report']) {
      if (controller.signal.aborted) return;
      const run = await server.scheduler.runNow(job);
      logger.info({ job, status: run.status, outputs: run.outputs }, `demo: ran ${job}`);
    }
    process.stdout.write(`demo: jobs ran; see ${server.url}/api/job-runs, ${server.url}/api/notifications and ${server.url}/public/Sales_Report.pdf\n`);
  })().catch((error: unknown) => logger.warn({ err: error }, 'demo jobs stopped'));
  return () => controller.abort();
}

function stopOnSignals(server: RunningServer, logger: Logger, beforeStop?: () => void): void {
  const stop = async (signal: string) => {
    beforeStop?.();
    logger.info({ signal }, 'stopping: flushing the consumer and closing the stores');
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
