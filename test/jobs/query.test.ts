import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { QueryRequestError, queryJob, resolveCountry, submitQuery } from '../../src/jobs/query.js';
import type { QueryRecord } from '../../src/store/port.js';
import type { Warehouse } from '../../src/warehouse/port.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { jobContext, loadEvents, order } from './helpers.js';

const HEADER = 'day,ts,order_id,line_no,customer_id,country,seller_id,product_id,product_name,category,kind,cancellation,quantity,unit_price,amount,currency,event_id';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await loadEvents(t.app, [
    order('F-dec', '2010-12-31T23:59:59Z', 'France', [{ product_id: 'P1', quantity: 1, unit_price: '1.00' }]),
    order('F-jan', '2011-01-01T00:00:00Z', 'France', [{ product_id: 'P1', quantity: 2, unit_price: '2.50' }, { product_id: 'P2', quantity: -1, unit_price: '4.00' }]),
    order('F-end', '2011-01-31T23:59:59Z', 'France', [{ product_id: 'P3', quantity: 5, unit_price: '0.001' }]),
    order('F-feb', '2011-02-01T00:00:00Z', 'France', [{ product_id: 'P1', quantity: 1, unit_price: '1.00' }]),
    order('G-jan', '2011-01-15T12:00:00Z', 'Germany', [{ product_id: 'P1', quantity: 7, unit_price: '1.00' }]),
    order('E-jan', '2011-01-15T12:00:00Z', 'EIRE', [{ product_id: 'P1', quantity: 7, unit_price: '1.00' }]),
  ]);
});
afterAll(async () => { await t.close(); });

async function drainPending(app: App = t.app): Promise<void> {
  // Earlier tests may leave queries behind; each test starts with none pending.
  await queryJob(app).run(jobContext(app));
}
beforeEach(async () => { await drainPending(); });

async function csvOf(query: QueryRecord): Promise<string[]> {
  const done = await t.app.store.getQuery(query.id);
  expect(done?.status, done?.error ?? '').toBe('done');
  return (await t.app.objects.get('exports', done!.object_key!)).toString('utf8').trimEnd().split('\n');
}

describe('submitQuery', () => {
  it('records a pending query over [from, to) in the shop zone, with the country as the warehouse spells it', async () => {
    const query = await submitQuery(t.app, { from: '2011-01-01', to: '2011-02-01', country: ' france ' });
    expect(query).toMatchObject({ from: '2011-01-01T00:00:00.000Z', to: '2011-02-01T00:00:00.000Z', country: 'France', status: 'pending',
      finished_at: null, rows: null, object_key: null, error: null });
    expect(query.id).toMatch(/^q_[a-z0-9]+_[0-9a-f]{12}$/);
    expect(await t.app.store.getQuery(query.id)).toEqual(query);
  });

  it.each([
    [{ from: '2011-13-45', to: '2011-02-01', country: 'France' }, /^from: .*2011-13-45.*use a date like 2011-11-14/],
    [{ from: '2011-01-01', to: 'yesterday', country: 'France' }, /^to: .*yesterday/],
    [{ from: '2011-02-01', to: '2011-01-01', country: 'France' }, /to \(2011-01-01\) must be after from \(2011-02-01\)/],
    [{ from: '2011-01-01', country: 'France' }, /^to is required: a date like 2011-02-01/],
    [{ from: '2011-01-01', to: '2011-02-01' }, /^country is required/],
    [{ from: '2011-01-01', to: '2011-02-01', country: 'Frnace' }, /country "Frnace" is unknown: did you mean France\?/],
    [{ from: '2011-01-01', to: '2011-02-01', country: 'Atlantis' }, /country "Atlantis" is unknown: countries with orders include EIRE, France, Germany \(3 countries in all/],
    [[], /send a JSON object \{from, to, country\}/],
  ])('refuses %j with a reason', async (request, reason) => {
    const error = await submitQuery(t.app, request as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryRequestError);
    expect((error as Error).message).toMatch(reason);
  });

  it('suggests close names', () => {
    const known = ['Austria', 'Australia', 'EIRE', 'France', 'Netherlands', 'United Kingdom'];
    expect(() => resolveCountry('Austrlia', known)).toThrow(/did you mean Australia, Austria\?/);
    expect(() => resolveCountry('Netherland', known)).toThrow(/did you mean Netherlands\?/);
    expect(() => resolveCountry('Kingdom', known)).toThrow(/did you mean United Kingdom\?/);
    expect(() => resolveCountry('France', [])).toThrow(/no order line has a country yet/);
    expect(resolveCountry('eire', known)).toBe('EIRE');
  });
});

describe('the query job', () => {
  it('writes exactly the lines of the country in [from, to) and notifies the link', async () => {
    const query = await submitQuery(t.app, { from: '2011-01-01', to: '2011-02-01', country: 'France' });
    const outcome = await queryJob(t.app).run(jobContext(t.app));
    expect(outcome.summary).toBe('1 query: 1 done (3 order lines), 0 failed');
    expect(outcome.quiet).toBe(false);
    const link = `${t.app.baseUrl}/api/queries/${query.id}/download`;
    expect(outcome.link).toBe(link);
    expect(await csvOf(query)).toEqual([
      HEADER,
      '2011-01-01,2011-01-01T00:00:00.000Z,F-jan,1,C1,France,,P1,P1,,product,false,2,2.5000,5.0000,GBP,F-jan',
      '2011-01-01,2011-01-01T00:00:00.000Z,F-jan,2,C1,France,,P2,P2,,product,false,-1,4.0000,-4.0000,GBP,F-jan',
      '2011-01-31,2011-01-31T23:59:59.000Z,F-end,1,C1,France,,P3,P3,,product,false,5,0.0010,0.0050,GBP,F-end',
    ]);
    expect(await t.app.store.getQuery(query.id)).toMatchObject({ status: 'done', rows: 3, object_key: `queries/${query.id}.csv`, error: null });
    const notice = (await t.app.store.listNotifications({ limit: 1, offset: 0 })).items[0];
    expect(notice).toMatchObject({ job: 'query', level: 'info', message: `Your query has been processed: ${link}`, link });
  });

  it('takes every pending query, oldest first, and one left running by a dead process', async () => {
    const first = await submitQuery(t.app, { from: '2011-01-01', to: '2011-02-01', country: 'Germany' });
    const second = await submitQuery(t.app, { from: '2010-12-01', to: '2011-03-01', country: 'France' });
    const stale = await submitQuery(t.app, { from: '2011-01-01', to: '2011-01-02', country: 'EIRE' });
    await t.app.store.saveQuery({ ...stale, status: 'running' });
    const outcome = await queryJob(t.app).run(jobContext(t.app));
    expect(outcome.summary).toBe('3 queries: 3 done (6 order lines), 0 failed');
    expect((outcome.outputs.queries as { id: string }[]).map((query) => query.id)).toEqual([first.id, second.id, stale.id]);
    expect((await csvOf(second)).map((line) => line.split(',')[2]).slice(1)).toEqual(['F-dec', 'F-jan', 'F-jan', 'F-end', 'F-feb']);
    expect(await csvOf(stale)).toEqual([HEADER]);
    expect((await t.app.store.listQueries({ status: 'pending', limit: 10, offset: 0 })).total).toBe(0);
  });

  it('records a failed export with its reason, notifies it, and goes on with the next query', async () => {
    const broken = await submitQuery(t.app, { from: '2011-01-01', to: '2011-02-01', country: 'Germany' });
    const fine = await submitQuery(t.app, { from: '2011-01-01', to: '2011-02-01', country: 'EIRE' });
    const warehouse = {
      countries: () => t.app.warehouse.countries(),
      exportFacts: (...args: Parameters<Warehouse['exportFacts']>) => (args[1].country === 'Germany'
        ? Promise.reject(new Error('warehouse: export of order_lines failed: disk full'))
        : t.app.warehouse.exportFacts(...args)),
    } as unknown as Warehouse;
    const outcome = await queryJob({ ...t.app, warehouse }).run(jobContext(t.app));
    expect(outcome.summary).toBe('2 queries: 1 done (1 order line), 1 failed');
    expect(await t.app.store.getQuery(broken.id)).toMatchObject({ status: 'failed', rows: null, object_key: null,
      error: 'warehouse: export of order_lines failed: disk full' });
    expect(await t.app.objects.head('exports', `queries/${broken.id}.csv`)).toBeUndefined();
    expect((await csvOf(fine)).length).toBe(2);
    const notices = (await t.app.store.listNotifications({ limit: 2, offset: 0 })).items;
    expect(notices.find((notice) => notice.level === 'error')?.message)
      .toBe(`Your query ${broken.id} (Germany, 2011-01-01T00:00:00.000Z to 2011-02-01T00:00:00.000Z) failed due to warehouse: export of order_lines failed: disk full`);
  });

  it('leaves queries pending when the scheduler stops it', async () => {
    const query = await submitQuery(t.app, { from: '2011-01-01', to: '2011-02-01', country: 'France' });
    const stop = new AbortController();
    stop.abort();
    const outcome = await queryJob(t.app).run({ ...jobContext(t.app), signal: stop.signal });
    expect(outcome).toMatchObject({ summary: 'no pending queries', quiet: true });
    expect((await t.app.store.getQuery(query.id))?.status).toBe('pending');
  });
});
