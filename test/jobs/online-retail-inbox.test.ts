/**
 * Issue 3's acceptance figures on the real UCI Online Retail file: dropped into the inbox folder of a
 * running app (watcher → scheduler → inbox job), it lands in processed with the spine's KPIs and a
 * notification; lake then archives 2011-11-14 with as many rows as the file has for that day. With
 * the clock at the file's end, the hot store keeps its last 7 days, every invoice still answers, and
 * retention prunes what ages out while the KPIs stay the same.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxJob, watchInbox } from '../../src/jobs/inbox.js';
import { lakeJob } from '../../src/jobs/lake.js';
import { retentionJob } from '../../src/jobs/retention.js';
import { createScheduler, type Scheduler } from '../../src/jobs/scheduler.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { sharedData } from '../helpers/process.js';
import { readBack, totals } from './job-test-app.js';

const SOURCE = sharedData('online-retail.csv.gz');
const WHOLE_PERIOD = ['2010-12-01T00:00:00Z', '2011-12-10T00:00:00Z'] as const;
const FILE_END = '2011-12-10T00:30:00Z';

let t: TestApp;
let scheduler: Scheduler;
let stopWatching: () => void;
let loaded: Promise<void>;

beforeAll(async () => {
  t = await openTestApp({ STOREPULSE_HOT_DAYS: '7' }, { now: () => Date.parse(FILE_END) });
  scheduler = createScheduler({
    jobs: [inboxJob(t.app), lakeJob(t.app), retentionJob(t.app)],
    store: t.app.store, notifier: t.app.notifier, logger: t.app.logger, timeZone: t.app.config.timeZone,
  });
  scheduler.start();
  let arrived!: () => void;
  const arrival = new Promise<void>((resolve) => { arrived = resolve; });
  stopWatching = watchInbox(t.app, () => { scheduler.trigger('inbox'); arrived(); });
  // As a user would: a plain copy into the inbox folder of the data dir.
  fs.copyFileSync(SOURCE, t.app.objects.pathFor('inbox', 'online-retail.csv.gz'));
  loaded = arrival.then(() => scheduler.idle());
  await loaded;
}, 300_000);

afterAll(async () => {
  stopWatching();
  await scheduler.stop();
  await t.close();
});

function rowsOfDay(day: string): number {
  const text = zlib.gunzipSync(fs.readFileSync(SOURCE)).toString('latin1');
  return text.split('\n').filter((line) => line.includes(`,${day} `)).length;
}

describe('online-retail.csv.gz dropped into the inbox', () => {
  it('is loaded on arrival, moved to processed and notified, with the KPIs of the spine', async () => {
    expect((await t.app.objects.list('inbox')).map((entry) => entry.key)).toEqual([]);
    expect((await t.app.objects.list('processed')).map((entry) => entry.key)).toEqual(['online-retail.csv.gz']);
    const runs = (await t.app.store.listJobRuns({ job: 'inbox', limit: 10, offset: 0 })).items;
    expect(runs.filter((run) => run.status === 'succeeded').length).toBeGreaterThanOrEqual(1);
    const messages = (await t.app.store.listNotifications({ limit: 10, offset: 0 })).items.map((item) => item.message);
    expect(messages).toContain('inbox ran successfully: online-retail.csv.gz, 541,909 rows, 25,900 orders');
    expect(await totals(t.app, ...WHOLE_PERIOD)).toMatchObject({ orders: 25_900, net_revenue: 9_747_747.93 });
  });

  it('archives 2011-11-14 to Parquet with as many rows as the file has that day', async () => {
    const run = await scheduler.runNow('lake', new Date('2011-11-15T00:15:00Z'));
    expect(run.status).toBe('succeeded');
    const file = t.app.objects.pathFor('archive', 'lake/order_lines/date=2011-11-14/part-0.parquet');
    const [archived] = await readBack(`SELECT count(*)::INTEGER AS n, round(sum(amount), 2)::DOUBLE AS revenue FROM read_parquet('${file}')`);
    expect(archived).toEqual({ n: rowsOfDay('2011-11-14'), revenue: 112_141.11 });
    expect(archived.n).toBe(3_597);
  });

  it('keeps the last 7 days in the hot store, answers older invoices from the warehouse, and prunes what ages out', async () => {
    expect(await t.app.store.getInvoice('536365')).toBeUndefined(); // 2010-12-01: outside the hot window when loaded
    const old = await t.app.warehouse.getInvoice('536365');
    expect(old).toMatchObject({ order_id: '536365', ts: '2010-12-01T08:26:00.000Z', customer_id: '17850', country: 'United Kingdom', line_count: 7, total: '139.12' });
    expect(old?.lines[0]).toMatchObject({ line_no: 1, product_id: '85123A', quantity: 6, unit_price: '2.55', amount: '15.30' });
    const last = await t.app.store.getInvoice('581587'); // 2011-12-09, the last invoice
    expect(last).toBeDefined();
    expect(await t.app.warehouse.getInvoice('581587')).toEqual({ ...last, lines: last!.lines.map((line) => ({ ...line, description: expect.any(String) })) });

    const run = await scheduler.runNow('retention', new Date('2011-12-12T00:30:00Z'));
    expect(run.status).toBe('succeeded');
    const agedOut = await totals(t.app, '2011-12-03T00:00:00Z', '2011-12-05T00:00:00Z');
    expect(run.outputs.pruned_orders).toBe(agedOut.orders);
    expect(run.outputs.pruned_orders).toBeGreaterThan(0);
    expect(await t.app.store.getInvoice('581587')).toBeDefined();
    expect(await totals(t.app, ...WHOLE_PERIOD)).toMatchObject({ orders: 25_900, net_revenue: 9_747_747.93 });
  });
});
