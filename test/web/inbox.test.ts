import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxJob } from '../../src/jobs/inbox.js';
import { buildServer } from '../../src/web/server.js';
import { inboxRoutes } from '../../src/web/inbox.js';
import { READ_KEY, WRITE_KEY, openTestApp, readHeaders, type TestApp } from '../helpers/app.js';

const CSV = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '570001,22086,MUG,3,2011-09-01 10:00:00,2.00,1,France',
].join('\n');

let t: TestApp;
let server: FastifyInstance;
let arrivals = 0;
beforeAll(async () => {
  t = await openTestApp();
  server = await buildServer({
    app: t.app, keys: { writeKey: WRITE_KEY, readKey: READ_KEY, generated: false },
    apiPlugins: [async (api) => { await api.register(inboxRoutes, { app: t.app, onArrival: () => { arrivals += 1; }, writeKey: WRITE_KEY, maxUploadBytes: 4096 }); }],
  });
});
afterAll(async () => {
  await server.close();
  await t.close();
});

const put = (name: string, payload: string | Buffer, headers: Record<string, string> = { authorization: `Bearer ${WRITE_KEY}` }) =>
  server.inject({ method: 'PUT', url: `/api/inbox/${name}`, headers: { 'content-type': 'text/csv', ...headers }, payload });
const inboxKeys = async () => (await t.app.objects.list('inbox')).map((entry) => entry.key);

describe('PUT /api/inbox/:name', () => {
  it('needs the write key', async () => {
    expect((await put('a.csv', CSV, {})).statusCode).toBe(401);
    expect((await put('a.csv', CSV, readHeaders)).statusCode).toBe(401);
    expect(await inboxKeys()).toEqual([]);
  });

  it('stores the body in the inbox, wakes the inbox job, and the job loads it', async () => {
    const before = arrivals;
    const response = await put('sales.csv', CSV, { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/octet-stream' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ bucket: 'inbox', key: 'sales.csv', size: Buffer.byteLength(CSV) });
    expect(response.json().message).toMatch(/inbox job/);
    expect(arrivals).toBe(before + 1);
    expect((await t.app.objects.get('inbox', 'sales.csv')).toString()).toBe(CSV);

    const old = new Date(Date.now() - 5_000);
    fs.utimesSync(t.app.objects.pathFor('inbox', 'sales.csv'), old, old);
    const outcome = await inboxJob(t.app, { sleep: async () => {} }).run({ at: new Date(), signal: new AbortController().signal, logger: t.app.logger });
    expect(outcome.summary).toBe('sales.csv, 1 row, 1 order');

    const listing = (await server.inject({ method: 'GET', url: '/api/inbox', headers: readHeaders })).json();
    expect(listing.inbox).toEqual({ total: 0, files: [] });
    expect(listing.processed.files).toEqual([expect.objectContaining({ key: 'sales.csv', size: Buffer.byteLength(CSV) })]);
    expect(listing.failed.total).toBe(0);
  });

  it('takes a body without a content type too', async () => {
    const response = await server.inject({ method: 'PUT', url: '/api/inbox/bare.ndjson', headers: { authorization: `Bearer ${WRITE_KEY}` }, payload: '{}\n' });
    expect(response.statusCode).toBe(202);
    await t.app.objects.delete('inbox', 'bare.ndjson');
  });

  it('rejects a name that is a path, hidden or temporary with a clear 400', async () => {
    for (const name of ['..%2Fx', '%2E%2E%2Fx', 'a%2Fb.csv', '.hidden.csv', 'upload.csv.part', '..x.csv']) {
      const response = await put(name, CSV);
      expect(response.statusCode, name).toBe(400);
      expect(response.json().message, name).toMatch(/use a plain file name like online-retail\.csv\.gz/);
    }
    for (const name of ['../x', '..', '%2E%2E']) expect((await put(name, CSV)).statusCode, name).not.toBe(202);
    expect(await inboxKeys()).toEqual([]);
    expect(fs.existsSync(path.join(t.app.objects.root, 'x'))).toBe(false);
  });

  it('answers 413 over the size limit and keeps nothing of the upload', async () => {
    const response = await put('big.csv', Buffer.alloc(5000, 'a'));
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(/upload limit of 4096 bytes/);
    expect(await inboxKeys()).toEqual([]);
    expect(fs.readdirSync(path.join(t.app.objects.root, 'inbox'))).toEqual([]);
  });

  it('answers 400 for an empty body', async () => {
    expect((await put('empty.csv', '')).statusCode).toBe(400);
    expect(await inboxKeys()).toEqual([]);
  });
});
