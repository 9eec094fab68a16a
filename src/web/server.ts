/**
 * The HTTP server: ingest (write key), the query API under /api (read key), health checks, and
 * the public bucket. Each area is a fastify plugin in its own file (STYLE.md "Routes as plugins").
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { App } from '../app.js';
import type { ApiKeys } from './keys.js';
import { requireKey } from './auth.js';
import { ingestRoutes } from './ingest.js';
import { kpiRoutes } from './kpis.js';
import { invoiceRoutes } from './invoices.js';
import { productRoutes } from './products.js';

export interface ServerOptions {
  app: App;
  keys: ApiKeys;
  /** Extra plugins registered under the read key (jobs, reports, dashboard data…). */
  apiPlugins?: FastifyPluginAsync[];
  /** Extra plugins with their own auth (public files, dashboard pages). */
  openPlugins?: FastifyPluginAsync[];
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { app, keys } = options;
  const server = Fastify({
    loggerInstance: app.logger as FastifyBaseLogger,
    // Per-request lines would dominate the ingest path; failures are logged by the error handlers.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 500 },
  });

  server.setErrorHandler(async (error: { statusCode?: number; message: string; validation?: unknown }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error, url: request.url }, 'request failed');
    return reply.code(status).send({ error: status === 500 ? 'internal_error' : 'bad_request', message: status === 500 ? 'internal error; see the server log' : error.message });
  });

  server.get('/healthz', async () => ({ status: 'ok' }));
  server.get('/readyz', async (_request, reply) => {
    try {
      const pending = await app.log.pending('storepulse');
      return { status: 'ready', pending_entries: pending.entries, pending_events: pending.events };
    } catch (error) {
      return reply.code(503).send({ status: 'not_ready', message: String(error) });
    }
  });

  await server.register(ingestRoutes, {
    log: app.log,
    writeKey: keys.writeKey,
    maxEventBytes: app.config.limits.maxEventBytes,
    maxRequestBytes: app.config.limits.maxRequestBytes,
  });

  await server.register(async (api) => {
    api.addHook('preHandler', requireKey('read', keys.readKey, keys.writeKey));
    await api.register(kpiRoutes, { warehouse: app.warehouse, timeZone: app.config.timeZone });
    await api.register(invoiceRoutes, { store: app.store, warehouse: app.warehouse });
    await api.register(productRoutes, { store: app.store, warehouse: app.warehouse });
    for (const plugin of options.apiPlugins ?? []) await api.register(plugin);
  });

  for (const plugin of options.openPlugins ?? []) await server.register(plugin);
  return server;
}
