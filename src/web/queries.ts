/**
 * User queries over HTTP (DESIGN §6–7, seed 003): POST /api/queries {from, to, country} answers
 * 202 with the query's id and links, and starts the query job; GET /api/queries/:id tells its
 * status; GET /api/queries/:id/download gives the CSV once done; GET /api/queries lists them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App } from '../app.js';
import { ObjectNotFoundError } from '../objects/port.js';
import type { QueryRecord } from '../store/port.js';
import { QueryRequestError, queryDownloadLink, submitQuery, type QueryRequest } from '../jobs/query.js';

export interface QueryRoutesOptions {
  app: App;
  /** Starts the query job (the server passes () => scheduler.trigger('query')). */
  runQueries: () => void;
}

const ListQuery = z.object({
  status: z.enum(['pending', 'running', 'done', 'failed'], { message: 'status must be pending, running, done or failed' }).optional(),
  limit: z.coerce.number({ message: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(50),
  offset: z.coerce.number({ message: 'offset must be a number' }).int('offset must be a whole number').min(0, 'offset must be at least 0').default(0),
});

export async function queryRoutes(server: FastifyInstance, options: QueryRoutesOptions): Promise<void> {
  const { app, runQueries } = options;

  server.post('/api/queries', async (request, reply) => {
    let query: QueryRecord;
    try {
      query = await submitQuery(app, (request.body ?? {}) as QueryRequest);
    } catch (error) {
      if (error instanceof QueryRequestError) return reply.code(400).send({ error: 'bad_request', message: error.message });
      throw error;
    }
    runQueries();
    return reply.code(202).header('location', `/api/queries/${query.id}`).send(withLinks(app, query));
  });

  server.get('/api/queries', async (request, reply) => {
    const parsed = ListQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request', message: parsed.error.issues[0].message });
    const page = await app.store.listQueries(parsed.data);
    return { ...page, items: page.items.map((query) => withLinks(app, query)) };
  });

  server.get<{ Params: { id: string } }>('/api/queries/:id', async (request, reply) => {
    const query = await app.store.getQuery(request.params.id);
    if (!query) return notFound(reply, request.params.id);
    return withLinks(app, query);
  });

  server.get<{ Params: { id: string } }>('/api/queries/:id/download', async (request, reply) => {
    const query = await app.store.getQuery(request.params.id);
    if (!query) return notFound(reply, request.params.id);
    if (query.status !== 'done' || !query.object_key) {
      const why = query.status === 'failed' ? `failed due to ${query.error}; submit it again` : `is ${query.status}; try again once GET /api/queries/${query.id} says done`;
      return reply.code(404).send({ error: 'not_ready', status: query.status, message: `query ${query.id} ${why}` });
    }
    try {
      const body = await app.objects.getStream('exports', query.object_key);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${query.id}.csv"`)
        .send(body);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        return reply.code(404).send({ error: 'not_found', message: `the CSV of query ${query.id} (exports/${query.object_key}) is gone; submit the query again` });
      }
      throw error;
    }
  });
}

function withLinks(app: App, query: QueryRecord) {
  const self = `${app.baseUrl}/api/queries/${encodeURIComponent(query.id)}`;
  return { ...query, links: { self, download: query.status === 'done' ? queryDownloadLink(app, query.id) : null } };
}

function notFound(reply: FastifyReply, id: string) {
  return reply.code(404).send({ error: 'not_found', message: `no query with id ${JSON.stringify(id)}; POST /api/queries to make one` });
}
