import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lakeJob } from '../../src/jobs/lake.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { contextAt, feed, readBack, saleEvent, viewEvent } from './job-test-app.js';

const line = (product: string, quantity: number, price: string) => ({ product_id: product, quantity, unit_price: price });

describe('lake job (shop zone America/New_York)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ STOREPULSE_TIMEZONE: 'America/New_York' });
    await feed(t.app, [
      saleEvent('2011-11-14T05:00:00Z', [line('A', 2, '1.50'), line('B', 1, '10.00')]), // 00:00 local: first instant of the 14th
      saleEvent('2011-11-14T15:00:00Z', [line('A', -1, '1.50'), line('C', 3, '0.25')]),
      saleEvent('2011-11-15T04:59:59Z', [line('B', 1, '10.00')]), // 23:59:59 local on the 14th
      saleEvent('2011-11-14T04:59:59Z', [line('A', 1, '1.50')]), // the 13th
      saleEvent('2011-11-15T05:00:00Z', [line('A', 1, '1.50')]), // the 15th
      viewEvent('A', '2011-11-14T12:00:00Z'), viewEvent('B', '2011-11-14T13:00:00Z'), viewEvent('A', '2011-11-15T12:00:00Z'),
    ]);
  });
  afterAll(async () => { await t.close(); });

  it("writes the previous shop day's facts as Parquet and CSV that DuckDB reads back with the same rows", async () => {
    const outcome = await lakeJob(t.app).run(contextAt(t.app, '2011-11-15T05:15:00Z')); // 00:15 on the 15th, local
    expect(outcome.summary).toBe('2011-11-14: 5 order lines, 2 views, 0 cart adds, 0 probes in archive/lake/<table>/date=2011-11-14/');
    expect((await t.app.objects.list('archive', 'lake/')).map((entry) => entry.key)).toEqual([
      'lake/order_lines/date=2011-11-14/part-0.csv', 'lake/order_lines/date=2011-11-14/part-0.parquet',
      'lake/views/date=2011-11-14/part-0.csv', 'lake/views/date=2011-11-14/part-0.parquet',
    ]);

    const lines = t.app.objects.pathFor('archive', 'lake/order_lines/date=2011-11-14/part-0.parquet');
    expect(await readBack(`SELECT count(*)::INTEGER AS n, sum(amount)::DOUBLE AS revenue, min(day)::VARCHAR AS first_day, max(day)::VARCHAR AS last_day FROM read_parquet('${lines}')`))
      .toEqual([{ n: 5, revenue: 22.25, first_day: '2011-11-14', last_day: '2011-11-14' }]);
    const csv = t.app.objects.pathFor('archive', 'lake/order_lines/date=2011-11-14/part-0.csv');
    expect(await readBack(`SELECT count(*)::INTEGER AS n FROM read_csv('${csv}', header = true)`)).toEqual([{ n: 5 }]);

    // The Hive layout reads as one data set with its date partition.
    const root = t.app.objects.pathFor('archive', 'lake');
    expect(await readBack(`SELECT date::VARCHAR AS date, count(*)::INTEGER AS n FROM read_parquet('${root}/views/*/*.parquet', hive_partitioning = true) GROUP BY date`))
      .toEqual([{ date: '2011-11-14', n: 2 }]);
  });

  it('replaces the day on a re-run, dropping parts it did not write', async () => {
    await t.app.objects.put('archive', 'lake/order_lines/date=2011-11-14/part-1.parquet', 'stale');
    await lakeJob(t.app).run(contextAt(t.app, '2011-11-15T12:00:00Z'));
    expect((await t.app.objects.list('archive', 'lake/order_lines/date=2011-11-14/')).map((entry) => entry.key))
      .toEqual(['lake/order_lines/date=2011-11-14/part-0.csv', 'lake/order_lines/date=2011-11-14/part-0.parquet']);
    const lines = t.app.objects.pathFor('archive', 'lake/order_lines/date=2011-11-14/part-0.parquet');
    expect(await readBack(`SELECT count(*)::INTEGER AS n FROM read_parquet('${lines}')`)).toEqual([{ n: 5 }]);
  });

  it('writes nothing for a day without facts', async () => {
    const outcome = await lakeJob(t.app).run(contextAt(t.app, '2011-11-20T06:00:00Z'));
    expect(outcome.summary).toBe('2011-11-19: 0 order lines, 0 views, 0 cart adds, 0 probes; nothing to archive');
    expect(await t.app.objects.list('archive', 'lake/order_lines/date=2011-11-19/')).toEqual([]);
  });
});
