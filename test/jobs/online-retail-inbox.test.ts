/**
 * Issue 3's acceptance figures on the real UCI Online Retail file: dropped into the inbox folder of a
 * running app (watcher → scheduler → inbox job), it lands in processed with the spine's KPIs and a
 * notification; lake then archives 2011-11-14 with as many rows as the file has for that day, and
 * retention prunes the hot store while the KPIs stay the same.
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

let t: TestApp;
let scheduler: Scheduler;
let stopWatching: () => void;
let loaded: Promise<void>;

beforeAll(async () => {
  t = await openTestApp();
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

  it('prunes the hot store to the last 7 days while the KPIs over the whole period stay', async () => {
    const run = await scheduler.runNow('retention', new Date('2011-12-10T00:30:00Z'));
    expect(run.status).toBe('succeeded');
    expect(run.outputs.pruned_orders).toBeGreaterThan(20_000);
    expect(await t.app.store.getInvoice('536365')).toBeUndefined(); // 2010-12-01
    expect(await t.app.store.getInvoice('581587')).toBeDefined(); // 2011-12-09, the last invoice
    expect(await totals(t.app, ...WHOLE_PERIOD)).toMatchObject({ orders: 25_900, net_revenue: 9_747_747.93 });
  });
});
