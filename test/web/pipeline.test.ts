import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionJob } from '../../src/jobs/attention.js';
import { retentionJob } from '../../src/jobs/retention.js';
import { createScheduler, type Scheduler } from '../../src/jobs/scheduler.js';
import { buildServer } from '../../src/web/server.js';
import { pipelineRoutes } from '../../src/web/pipeline.js';
import { READ_KEY, WRITE_KEY, openTestApp, orderEvent, readHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
let server: FastifyInstance;
let scheduler: Scheduler;
const writeAuth = { authorization: `Bearer ${WRITE_KEY}` };

beforeAll(async () => {
  t = await openTestApp();
  scheduler = createScheduler({
    jobs: [attentionJob(t.app), retentionJob(t.app), { name: 'broken', description: 'always fails', defaultSchedule: null, run: async () => { throw new Error('the disk is full'); } }],
    store: t.app.store, notifier: t.app.notifier, logger: t.app.logger, retry: { attempts: 1, baseDelayMs: 1 },
  });
  server = await buildServer({
    app: t.app, keys: { writeKey: WRITE_KEY, readKey: READ_KEY, generated: false },
    apiPlugins: [async (api) => { await api.register(pipelineRoutes, { app: t.app, scheduler, writeKey: WRITE_KEY }); }],
  });
});
afterAll(async () => {
  await scheduler.stop();
  await server.close();
  await t.close();
});

const get = (url: string) => server.inject({ method: 'GET', url, headers: readHeaders });
const post = (url: string, headers: Record<string, string> = writeAuth) => server.inject({ method: 'POST', url, headers });

describe('jobs, runs and notifications', () => {
  it('lists the jobs with their schedules', async () => {
    const { jobs } = (await get('/api/jobs')).json();
    expect(jobs.map((job: { name: string; schedule: string | null }) => [job.name, job.schedule]))
      .toEqual([['attention', '0 */4 * * *'], ['retention', '30 0 * * *'], ['broken', null]]);
  });

  it('runs a job now for a given moment, records the run and notifies', async () => {
    expect((await post('/api/jobs/retention/run?at=2011-11-10', readHeaders)).statusCode).toBe(401);
    const response = await post('/api/jobs/retention/run?at=2011-11-10');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ job: 'retention', status: 'succeeded', scheduled_for: '2011-11-10T00:00:00.000Z', outputs: { pruned_orders: 0 } });

    const failed = (await post('/api/jobs/broken/run')).json();
    expect(failed).toMatchObject({ job: 'broken', status: 'failed', error: 'the disk is full' });

    const runs = (await get('/api/job-runs?job=retention')).json();
    expect(runs.total).toBe(1);
    expect(runs.items[0].id).toBe(response.json().id);
    const notifications = (await get('/api/notifications?limit=2')).json();
    expect(notifications.items.map((item: { message: string }) => item.message)).toEqual([
      'broken failed due to the disk is full',
      expect.stringMatching(/^retention ran successfully: pruned 0 orders dated before 2011-11-03/),
    ]);
  });

  it('answers 404 for an unknown job and 400 for a bad moment', async () => {
    const unknown = await post('/api/jobs/nope/run');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/jobs are attention, retention, broken/);
    expect((await post('/api/jobs/retention/run?at=yesterday')).statusCode).toBe(400);
    expect((await get('/api/job-runs?limit=0')).statusCode).toBe(400);
  });
});

describe('dead letters', () => {
  async function letterFor(payload: unknown, reason: string, origin = 'consumer', eventId?: string): Promise<number> {
    await t.app.store.addDeadLetters([{ payload, reason, origin, event_id: eventId }]);
    const page = await t.app.store.listDeadLetters({ limit: 1, offset: 0 });
    return page.items[0].id;
  }

  it('replays an event that failed for a passing reason, applies it and deletes the letter', async () => {
    const id = await letterFor(orderEvent('late-1'), 'warehouse: appendFacts failed: disk full', 'consumer', 'late-1');
    expect((await get('/api/dead-letters')).json().items.map((letter: { id: number }) => letter.id)).toContain(id);

    const response = await post(`/api/dead-letters/${id}/replay`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ replayed: true, id, applied: 1 });
    expect(await t.app.warehouse.getInvoice('late-1')).toBeDefined();
    expect(await t.app.store.getDeadLetter(id)).toBeUndefined();
    expect((await post(`/api/dead-letters/${id}/replay`)).statusCode).toBe(404);
  });

  it('says why a letter still fails and keeps it as it is', async () => {
    const id = await letterFor(orderEvent('dollars-1', { currency: 'USD' }), 'currency USD differs', 'http', 'dollars-1');
    const response = await post(`/api/dead-letters/${id}/replay`);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ replayed: false, id, reason: expect.stringMatching(/currency USD differs from the shop currency GBP/) });
    expect(await t.app.store.getDeadLetter(id)).toMatchObject({ attempts: 1 });
    expect((await t.app.store.listDeadLetters({ limit: 100, offset: 0 })).items.filter((letter) => letter.event_id === 'dollars-1')).toHaveLength(1);
    expect(await t.app.warehouse.getInvoice('dollars-1')).toBeUndefined();
    expect(await t.app.store.getInvoice('dollars-1')).toBeUndefined();
  });

  it('refuses to replay a row of a file with a 409 that says what to do', async () => {
    const id = await letterFor({ file: 'bad.csv', line: 3, field: 'Quantity', reason: '"abc" is not an integer' }, 'bad.csv line 3: Quantity', 'import:bad.csv');
    const response = await post(`/api/dead-letters/${id}/replay`);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/line 3 of the file bad\.csv, not an event: fix that row and put the file in the inbox again/);
    expect(await t.app.store.getDeadLetter(id)).toBeDefined();
  });

  it('needs the write key to replay', async () => {
    const id = await letterFor(orderEvent('late-2'), 'warehouse down', 'consumer', 'late-2');
    expect((await post(`/api/dead-letters/${id}/replay`, readHeaders)).statusCode).toBe(401);
    expect((await post('/api/dead-letters/abc/replay')).statusCode).toBe(400);
  });
});
