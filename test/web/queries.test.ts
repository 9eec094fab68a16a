import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryJob } from '../../src/jobs/query.js';
import { createScheduler, type Scheduler } from '../../src/jobs/scheduler.js';
import { buildServer } from '../../src/web/server.js';
import { queryRoutes } from '../../src/web/queries.js';
import { openTestApp, READ_KEY, readHeaders, WRITE_KEY, type TestApp } from '../helpers/app.js';
import { loadEvents, order } from '../jobs/helpers.js';

let t: TestApp;
let server: FastifyInstance;
let scheduler: Scheduler;
/** When false, POST does not start the job, so a query stays pending. */
let runOnSubmit = true;

beforeAll(async () => {
  t = await openTestApp();
  await loadEvents(t.app, [
    order('F-jan', '2011-01-10T09:00:00Z', 'France', [{ product_id: 'P1', quantity: 2, unit_price: '2.50', description: 'Mug, "=1+1"' }]),
    order('F-feb', '2011-02-10T09:00:00Z', 'France', [{ product_id: 'P1', quantity: 1, unit_price: '2.50' }]),
    order('G-jan', '2011-01-10T09:00:00Z', 'Germany', [{ product_id: 'P1', quantity: 1, unit_price: '2.50' }]),
  ]);
  scheduler = createScheduler({ jobs: [queryJob(t.app)], store: t.app.store, notifier: t.app.notifier, logger: t.app.logger });
  server = await buildServer({
    app: t.app, keys: { writeKey: WRITE_KEY, readKey: READ_KEY, generated: false },
    apiPlugins: [async (api) => queryRoutes(api, { app: t.app, runQueries: () => { if (runOnSubmit) scheduler.trigger('query'); } })],
  });
});
afterAll(async () => {
  await scheduler.stop();
  await server.close();
  await t.close();
});

const submit = (payload: unknown, headers: Record<string, string> = readHeaders) =>
  server.inject({ method: 'POST', url: '/api/queries', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
const get = (url: string) => server.inject({ method: 'GET', url, headers: readHeaders });

describe('POST /api/queries', () => {
  it('needs the read key', async () => {
    expect((await submit({ from: '2011-01-01', to: '2011-02-01', country: 'France' }, {})).statusCode).toBe(401);
  });

  it('answers 202 with the id, then the status says done and the link downloads exactly the matching lines', async () => {
    const response = await submit({ from: '2011-01-01', to: '2011-02-01', country: 'France' });
    expect(response.statusCode).toBe(202);
    const accepted = response.json();
    const self = `${t.app.baseUrl}/api/queries/${accepted.id}`;
    expect(accepted).toMatchObject({ status: 'pending', country: 'France', from: '2011-01-01T00:00:00.000Z', to: '2011-02-01T00:00:00.000Z', links: { self, download: null } });
    expect(response.headers.location).toBe(`/api/queries/${accepted.id}`);

    await scheduler.idle();
    const status = (await get(`/api/queries/${accepted.id}`)).json();
    expect(status).toMatchObject({ id: accepted.id, status: 'done', rows: 1, error: null, links: { self, download: `${self}/download` } });

    const download = await get(`/api/queries/${accepted.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${accepted.id}.csv"`);
    expect(download.body.split('\n').slice(1)).toEqual([
      '2011-01-10,2011-01-10T09:00:00.000Z,F-jan,1,C1,France,,P1,"Mug, ""=1+1""",,product,false,2,2.5000,5.0000,GBP,F-jan', '',
    ]);
    const withKeyInUrl = await server.inject({ method: 'GET', url: `/api/queries/${accepted.id}/download?key=${READ_KEY}` });
    expect(withKeyInUrl.body).toBe(download.body);

    const notices = (await t.app.store.listNotifications({ limit: 5, offset: 0 })).items;
    expect(notices.filter((notice) => notice.link === `${self}/download`).map((notice) => notice.message))
      .toContain(`Your query has been processed: ${self}/download`);
  });

  it.each([
    [{ from: '2011-02-30', to: '2011-03-01', country: 'France' }, /^from: .*2011-02-30/],
    [{ from: '2011-03-01', to: '2011-02-01', country: 'France' }, /must be after from/],
    [{ from: '2011-01-01', to: '2011-02-01', country: 'Frence' }, /country "Frence" is unknown: did you mean France\?/],
    [{ from: '2011-01-01', to: '2011-02-01', country: "'; DROP TABLE queries; --" }, /country "'; DROP TABLE queries; --" is unknown/],
    [{ to: '2011-02-01', country: 'France' }, /^from is required/],
    ['not an object', /send a JSON object/],
  ])('answers 400 to %j and says why', async (payload, reason) => {
    const before = (await get('/api/queries')).json().total;
    const response = await submit(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'bad_request' });
    expect(response.json().message).toMatch(reason);
    expect((await get('/api/queries')).json().total).toBe(before);
  });
});

describe('GET /api/queries', () => {
  it('answers 404 for a download until the query is done, and for an unknown id', async () => {
    runOnSubmit = false;
    try {
      const accepted = (await submit({ from: '2011-01-01', to: '2011-03-01', country: 'Germany' })).json();
      const early = await get(`/api/queries/${accepted.id}/download`);
      expect(early.statusCode).toBe(404);
      expect(early.json()).toMatchObject({ error: 'not_ready', status: 'pending' });
      expect(early.json().message).toMatch(new RegExp(`query ${accepted.id} is pending; try again once GET /api/queries/${accepted.id} says done`));

      const pending = (await get('/api/queries?status=pending')).json();
      expect(pending.items.map((item: { id: string }) => item.id)).toEqual([accepted.id]);

      scheduler.trigger('query');
      await scheduler.idle();
      expect((await get(`/api/queries/${accepted.id}/download`)).statusCode).toBe(200);
    } finally {
      runOnSubmit = true;
    }
    for (const url of ['/api/queries/q_nope', '/api/queries/q_nope/download', '/api/queries/..%2F..%2Fkeys.json/download']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error).toBe('not_found');
    }
  });

  it('lists queries newest first with paging, and refuses a bad status', async () => {
    const all = (await get('/api/queries?limit=1')).json();
    expect(all).toMatchObject({ limit: 1, offset: 0 });
    expect(all.total).toBeGreaterThanOrEqual(2);
    expect(all.items[0].country).toBe('Germany');
    expect(all.items[0].links.download).toMatch(/\/download$/);
    const bad = await get('/api/queries?status=finished');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('status must be pending, running, done or failed');
  });
});
