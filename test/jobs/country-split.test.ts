import path from 'node:path';
import zlib from 'node:zlib';
import fs from 'node:fs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countryKeys, countrySplitJob } from '../../src/jobs/country-split.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { queryJob, submitQuery } from '../../src/jobs/query.js';
import { importFile } from '../../src/ingest/import-files.js';
import { moneyToUnits } from '../../src/events/money.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { sharedData } from '../helpers/process.js';
import { jobContext, loadEvents, order } from './helpers.js';

const HEADER = 'day,ts,order_id,line_no,customer_id,country,seller_id,product_id,product_name,category,kind,cancellation,quantity,unit_price,amount,currency,event_id';

async function exported(t: TestApp, key: string): Promise<string> {
  return (await t.app.objects.get('exports', key)).toString('utf8');
}

describe('country-split on a few orders', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
    await loadEvents(t.app, [
      order('F1', '2011-01-03T10:00:00Z', 'France', [
        { product_id: 'P1', quantity: 2, unit_price: '2.50', description: 'Mug, "big"' },
        { product_id: 'PADS', quantity: 1, unit_price: '0.001' },
        { product_id: 'POST', quantity: 1, unit_price: '18.00', kind: 'fee', description: 'POSTAGE' },
      ]),
      order('F2', '2011-01-03T15:30:00Z', 'France', [{ product_id: 'P1', quantity: 3, unit_price: '2.40' }]),
      order('CF3', '2011-01-04T09:00:00Z', 'France', [{ product_id: 'P1', quantity: -1, unit_price: '2.50' }], { cancellation: true }),
      order('N1', '2011-01-03T11:00:00Z', 'Netherlands', [{ product_id: 'P2', quantity: 24, unit_price: '0.85', description: 'Card' }]),
    ]);
  });
  afterAll(async () => { await t.close(); });

  it('writes each country\'s order lines and its product-day sales, net of cancellations, exact to the unit', async () => {
    const outcome = await countrySplitJob(t.app).run(jobContext(t.app));
    expect(outcome.summary).toBe('2 countries, 6 order lines');
    expect(await exported(t, 'by-country/France.csv')).toBe([
      HEADER,
      '2011-01-03,2011-01-03T10:00:00.000Z,F1,1,C1,France,,P1,"Mug, ""big""",,product,false,2,2.5000,5.0000,GBP,F1',
      '2011-01-03,2011-01-03T10:00:00.000Z,F1,2,C1,France,,PADS,PADS,,product,false,1,0.0010,0.0010,GBP,F1',
      '2011-01-03,2011-01-03T10:00:00.000Z,F1,3,C1,France,,POST,POSTAGE,,fee,false,1,18.0000,18.0000,GBP,F1',
      '2011-01-03,2011-01-03T15:30:00.000Z,F2,1,C1,France,,P1,"Mug, ""big""",,product,false,3,2.4000,7.2000,GBP,F2',
      '2011-01-04,2011-01-04T09:00:00.000Z,CF3,1,C1,France,,P1,"Mug, ""big""",,product,true,-1,2.5000,-2.5000,GBP,CF3',
      '',
    ].join('\n'));
    // Each line at its own price (5.00 + 7.20 for P1 that day), fees counted, the cancellation on its own day.
    expect(await exported(t, 'product-day-sales/France.csv')).toBe([
      'date,product_id,total_quantity,total_amount',
      '2011-01-03,P1,5,12.20',
      '2011-01-03,PADS,1,0.001',
      '2011-01-03,POST,1,18.00',
      '2011-01-04,P1,-1,-2.50',
      '',
    ].join('\n'));
    expect(await exported(t, 'product-day-sales/Netherlands.csv')).toBe('date,product_id,total_quantity,total_amount\n2011-01-03,P2,24,20.40\n');
    expect(outcome.outputs).toMatchObject({ countries: 2, order_lines: 6 });
  });

  it('writes the split as it stood at the moment of a back-fill', async () => {
    const outcome = await countrySplitJob(t.app).run(jobContext(t.app, new Date('2011-01-03T12:00:00Z')));
    expect(outcome.summary).toBe('2 countries, 4 order lines');
    expect((await exported(t, 'product-day-sales/France.csv')).split('\n').slice(1, -1)).toEqual([
      '2011-01-03,P1,2,5.00', '2011-01-03,PADS,1,0.001', '2011-01-03,POST,1,18.00',
    ]);
  });

  it('records the run and notifies when the scheduler runs it', async () => {
    const scheduler = createScheduler({ jobs: [countrySplitJob(t.app)], store: t.app.store, notifier: t.app.notifier, logger: t.app.logger });
    const run = await scheduler.runNow('country-split', new Date('2011-02-01T00:00:00Z'));
    expect(run).toMatchObject({ job: 'country-split', status: 'succeeded', scheduled_for: '2011-02-01T00:00:00.000Z' });
    expect(run.outputs).toMatchObject({ countries: 2, order_lines: 6, as_of: '2011-02-01T00:00:00.000Z' });
    const notices = await t.app.store.listNotifications({ limit: 1, offset: 0 });
    expect(notices.items[0].message).toBe('country-split ran successfully: 2 countries, 6 order lines');
  });
});

describe('country names as object keys', () => {
  it('keeps plain names and makes every other name safe and distinct', () => {
    const names = ['EIRE', 'Channel Islands', 'RSA', 'Unspecified', "Côte d'Ivoire", 'A/B', 'A_B', '../../etc/passwd', '.storepulse-x',
      'France', 'FRANCE', 'C:\\Windows', '  ', '..', '=HYPERLINK("x")', `${'Z'.repeat(80)}`, '日本'];
    const keys = countryKeys(names);
    expect(keys.get('EIRE')).toBe('EIRE');
    expect(keys.get('Channel Islands')).toBe('Channel Islands');
    expect(keys.get('RSA')).toBe('RSA');
    expect(keys.get('Unspecified')).toBe('Unspecified');
    expect(keys.get("Côte d'Ivoire")).toBe("Côte d'Ivoire");
    expect(keys.get('日本')).toBe('日本');
    expect(keys.get('A_B')).toBe('A_B');
    expect(keys.get('A/B')).toMatch(/^A_B_[0-9a-f]{8}$/);
    expect(keys.get('France')).toMatch(/^France_[0-9a-f]{8}$/);
    expect(keys.get('FRANCE')).toMatch(/^FRANCE_[0-9a-f]{8}$/);
    const values = [...keys.values()];
    expect(new Set(values.map((value) => value.toLowerCase())).size).toBe(names.length);
    for (const value of values) {
      expect(value).not.toMatch(/[/\\:"=]|^\.|^\s|\s$/);
      expect(value).not.toBe('..');
    }
  });

  it('writes hostile country names to files inside the exports bucket, one per country', async () => {
    const t = await openTestApp();
    try {
      const hostile = ['../../etc/passwd', 'A/B', '.storepulse-tmp', 'x\\y', 'EIRE'];
      await loadEvents(t.app, hostile.map((country, index) =>
        order(`H${index}`, '2011-03-01T10:00:00Z', country, [{ product_id: 'P1', quantity: index + 1, unit_price: '1.00' }])));
      const outcome = await countrySplitJob(t.app).run(jobContext(t.app));
      expect(outcome.summary).toBe('5 countries, 5 order lines');
      const keys = (await t.app.objects.list('exports', 'product-day-sales/')).map((entry) => entry.key);
      expect(keys).toHaveLength(5);
      expect(keys).toContain('product-day-sales/EIRE.csv');
      for (const [index, country] of hostile.entries()) {
        const key = `product-day-sales/${countryKeys(hostile).get(country)}.csv`;
        expect(await exported(t, key)).toBe(`date,product_id,total_quantity,total_amount\n2011-03-01,P1,${index + 1},${index + 1}.00\n`);
        const lines = Papa.parse<Record<string, string>>(await exported(t, key.replace('product-day-sales/', 'by-country/')), { header: true, skipEmptyLines: true }).data;
        expect(lines.map((line) => line.country)).toEqual([country]);
      }
      expect(fs.readdirSync(path.join(t.dataDir, 'buckets', 'exports')).sort()).toEqual(['by-country', 'product-day-sales']);
    } finally {
      await t.close();
    }
  });
});

describe('the real online-retail file', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
    const summary = await importFile(t.app, sharedData('online-retail.csv.gz'));
    expect(summary.rows).toBe(541_909);
  }, 300_000);
  afterAll(async () => { await t.close(); });

  it('writes product-day sales whose sum is each country\'s net revenue, Netherlands included', async () => {
    const scheduler = createScheduler({ jobs: [countrySplitJob(t.app)], store: t.app.store, notifier: t.app.notifier, logger: t.app.logger });
    const run = await scheduler.runNow('country-split');
    expect(run.status, run.error ?? '').toBe('succeeded');
    const notice = (await t.app.store.listNotifications({ limit: 1, offset: 0 })).items[0];
    expect(notice.message).toBe('country-split ran successfully: 38 countries, 541,909 order lines');

    const revenue = await t.app.warehouse.runKpi('revenue-by-country', { fromMs: Date.UTC(2000, 0, 1), toMs: Date.UTC(2100, 0, 1), limit: 100 });
    const files = run.outputs.files as { country: string; product_day_sales: string }[];
    expect(files).toHaveLength(38);
    for (const file of files) {
      const csv = await exported(t, file.product_day_sales);
      const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
      const units = rows.reduce((sum, row) => sum + moneyToUnits(row.total_amount), 0);
      const expected = revenue.rows.find((row) => row.country === file.country)?.revenue;
      expect({ country: file.country, revenue: Math.round(units / 100) / 100 }).toEqual({ country: file.country, revenue: expected });
    }
    const netherlands = await exported(t, 'product-day-sales/Netherlands.csv');
    const netherlandsUnits = Papa.parse<Record<string, string>>(netherlands, { header: true, skipEmptyLines: true }).data
      .reduce((sum, row) => sum + moneyToUnits(row.total_amount), 0);
    expect(netherlandsUnits / 10_000).toBe(revenue.rows.find((row) => row.country === 'Netherlands')?.revenue);
    console.log(`Netherlands: product-day-sales sums to ${netherlandsUnits / 10_000} over ${netherlands.split('\n').length - 2} rows`);
  }, 120_000);

  it('answers a query for France in January 2011 with exactly the French order lines of that month', async () => {
    const query = await submitQuery(t.app, { from: '2011-01-01', to: '2011-02-01', country: 'France' });
    const scheduler = createScheduler({ jobs: [queryJob(t.app)], store: t.app.store, notifier: t.app.notifier, logger: t.app.logger });
    await scheduler.runNow('query');
    const done = await t.app.store.getQuery(query.id);
    expect(done).toMatchObject({ status: 'done', object_key: `queries/${query.id}.csv` });

    const written = Papa.parse<Record<string, string>>(await exported(t, `queries/${query.id}.csv`), { header: true, skipEmptyLines: true }).data;
    const source = Papa.parse<Record<string, string>>(zlib.gunzipSync(fs.readFileSync(sharedData('online-retail.csv.gz'))).toString('latin1'), { header: true, skipEmptyLines: true }).data
      .filter((row) => row.Country === 'France' && row.InvoiceDate.startsWith('2011-01'));
    const asWritten = (row: Record<string, string>) => `${row.order_id}|${row.product_id}|${row.quantity}|${moneyToUnits(row.unit_price)}|${row.day}`;
    const asSource = (row: Record<string, string>) =>
      `${row.InvoiceNo}|${row.StockCode}|${row.Quantity}|${moneyToUnits(row.UnitPrice)}|${row.InvoiceDate.slice(0, 10)}`;
    expect(written.length).toBe(source.length);
    expect(done?.rows).toBe(source.length);
    expect(written.map(asWritten).sort()).toEqual(source.map(asSource).sort());
    expect(new Set(written.map((row) => row.country))).toEqual(new Set(['France']));

    const link = `${t.app.baseUrl}/api/queries/${query.id}/download`;
    const notices = (await t.app.store.listNotifications({ limit: 5, offset: 0 })).items;
    const processed = notices.filter((notice) => notice.message.startsWith('Your query'));
    expect(processed.map((notice) => ({ job: notice.job, message: notice.message, link: notice.link })))
      .toEqual([{ job: 'query', message: `Your query has been processed: ${link}`, link }]);
    console.log(`France, January 2011: ${written.length} order lines in ${done?.object_key}`);
  }, 60_000);
});
