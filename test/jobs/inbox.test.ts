import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxJob, watchInbox } from '../../src/jobs/inbox.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { repoRoot } from '../helpers/process.js';
import { contextAt, totals } from './job-test-app.js';

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const noWait = async () => {};

let t: TestApp;
beforeAll(async () => { t = await openTestApp(); });
afterAll(async () => { await t.close(); });

/** Drops a file into the inbox folder as a copy would, finished `ageMs` ago. */
function drop(name: string, content: string | Buffer, ageMs = 5_000): string {
  const file = t.app.objects.pathFor('inbox', name);
  fs.writeFileSync(file, content);
  const finished = new Date(Date.now() - ageMs);
  fs.utimesSync(file, finished, finished);
  return file;
}

const keys = async (bucket: 'inbox' | 'processed' | 'failed') => (await t.app.objects.list(bucket)).map((entry) => entry.key);

function schedulerFor(attempts: number) {
  return createScheduler({
    jobs: [inboxJob(t.app, { sleep: noWait })], store: t.app.store, notifier: t.app.notifier, logger: t.app.logger,
    retry: { attempts, baseDelayMs: 1 }, sleep: noWait,
  });
}

async function latestNotifications(count: number) {
  return (await t.app.store.listNotifications({ limit: count, offset: 0 })).items;
}

describe('inbox job', () => {
  it('loads a good file, moves it to processed, and notifies with its figures', async () => {
    drop('small.csv', [
      HEADER,
      '560001,22086,MUG,2,2011-07-04 10:00:00,2.50,13313.0,France',
      '560001,22087,CUP,1,2011-07-04 10:00:00,1.25,13313.0,France',
      '560002,22086,MUG,4,2011-07-05 09:00:00,2.50,,Germany',
    ].join('\n'));
    const run = await schedulerFor(3).runNow('inbox');
    expect(run.status).toBe('succeeded');
    expect(await keys('inbox')).toEqual([]);
    expect(await keys('processed')).toContain('small.csv');
    const [notification] = await latestNotifications(1);
    expect(notification).toMatchObject({ job: 'inbox', level: 'info', message: 'inbox ran successfully: small.csv, 3 rows, 2 orders' });
    expect(await totals(t.app, '2011-07-01T00:00:00Z', '2011-07-10T00:00:00Z')).toMatchObject({ orders: 2, net_revenue: 16.25 });
  });

  it('moves a file with broken rows to failed with its report, keeps its good rows, and reports at once without retrying', async () => {
    fs.copyFileSync(path.join(repoRoot, 'test/fixtures/import/retail-bad-rows.csv'), t.app.objects.pathFor('inbox', 'retail-bad-rows.csv'));
    const old = new Date(Date.now() - 5_000);
    fs.utimesSync(t.app.objects.pathFor('inbox', 'retail-bad-rows.csv'), old, old);
    const notificationsBefore = (await t.app.store.listNotifications({ limit: 1, offset: 0 })).total;

    const run = await schedulerFor(2).runNow('inbox');
    // The inbox job sets its own policy (one attempt) over the scheduler's two.
    expect(run).toMatchObject({ status: 'failed', attempt: 1 });
    expect(await keys('inbox')).toEqual([]);
    expect(await keys('failed')).toEqual(['retail-bad-rows.csv', 'retail-bad-rows.csv.errors.json']);

    const report = JSON.parse((await t.app.objects.get('failed', 'retail-bad-rows.csv.errors.json')).toString());
    expect(report.rows).toBe(10);
    expect(report.failed_rows).toBe(report.problems.length);
    expect(report.problems.map((problem: { line: number }) => problem.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(report.problems[2]).toMatchObject({ line: 5, field: 'Quantity' });

    // One failed attempt; exactly one notification, the failure.
    const runs = (await t.app.store.listJobRuns({ job: 'inbox', limit: 1, offset: 0 })).items;
    expect(runs[0]).toMatchObject({ status: 'failed', attempt: 1 });
    const notifications = await t.app.store.listNotifications({ limit: 1, offset: 0 });
    expect(notifications.total).toBe(notificationsBefore + 1);
    expect(notifications.items[0].level).toBe('error');
    expect(notifications.items[0].message).toMatch(/^inbox failed due to retail-bad-rows\.csv: 7 rows failed \(line 3: /);
    expect(notifications.items[0].message).toContain('its other 3 rows were loaded');

    // The good rows are in, once (in the warehouse: January 2011 is outside the hot window).
    const invoice = await t.app.warehouse.getInvoice('540001');
    expect(invoice?.lines.map((line) => line.product_id)).toEqual(['22086', '22094']);
    expect(await t.app.warehouse.getInvoice('540002')).toBeDefined();
    expect(await totals(t.app, '2011-01-04T00:00:00Z', '2011-01-05T00:00:00Z')).toMatchObject({ orders: 2, units: 4 });
  });

  it('moves a file of an unknown format to failed with a whole-file report', async () => {
    drop('notes.txt', 'hello, this is not sales data\n');
    await expect(inboxJob(t.app, { sleep: noWait }).run(contextAt(t.app, new Date()))).rejects.toThrow(/^notes\.txt: notes\.txt is not a known import format/);
    const report = JSON.parse((await t.app.objects.get('failed', 'notes.txt.errors.json')).toString());
    expect(report.problems).toEqual([{ line: null, field: '(file)', reason: expect.stringMatching(/not a known import format/) }]);
  });

  it('leaves a file that is still being written, and temporary names, in the inbox', async () => {
    const growing = drop('growing.csv', `${HEADER}\n560101,22086,MUG,1,2011-08-01 10:00:00,2.50,1,France\n`);
    drop('upload.csv.part', 'half a file');
    drop('.hidden.csv', 'half a file');
    const stillCopying = async () => { fs.appendFileSync(growing, '560101,22087,CUP,1,2011-08-01 10:00:00,1.25,1,France\n'); };

    const first = await inboxJob(t.app, { sleep: stillCopying }).run(contextAt(t.app, new Date()));
    expect(first.summary).toBe('nothing loaded yet: growing.csv still arriving, loaded once unchanged for a second');
    expect(await keys('inbox')).toEqual(['.hidden.csv', 'growing.csv', 'upload.csv.part']);
    expect(await totals(t.app, '2011-08-01T00:00:00Z', '2011-08-02T00:00:00Z')).toMatchObject({ orders: 0 });

    // Written just now and not touched during the wait: still too fresh.
    const fresh = await inboxJob(t.app, { sleep: noWait }).run(contextAt(t.app, new Date()));
    expect(fresh.summary).toMatch(/^nothing loaded yet: growing\.csv/);

    const old = new Date(Date.now() - 5_000);
    fs.utimesSync(growing, old, old);
    const settled = await inboxJob(t.app, { sleep: noWait }).run(contextAt(t.app, new Date()));
    expect(settled.summary).toBe('growing.csv, 2 rows, 1 order');
    expect(await keys('inbox')).toEqual(['.hidden.csv', 'upload.csv.part']);
    expect(await totals(t.app, '2011-08-01T00:00:00Z', '2011-08-02T00:00:00Z')).toMatchObject({ orders: 1, units: 2 });
  });

  it('says when a file was loaded before and adds nothing', async () => {
    drop('small-again.csv', fs.readFileSync(t.app.objects.pathFor('processed', 'small.csv')));
    const outcome = await inboxJob(t.app, { sleep: noWait }).run(contextAt(t.app, new Date()));
    expect(outcome.summary).toBe('small-again.csv, already loaded (same content), nothing new');
    expect(await totals(t.app, '2011-07-01T00:00:00Z', '2011-07-10T00:00:00Z')).toMatchObject({ orders: 2 });
  });

  it('calls back when a file arrives in the inbox folder, not when one leaves it', async () => {
    let calls = 0;
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => { arrived = resolve; });
    const stop = watchInbox(t.app, () => { calls += 1; arrived(); }, 20);
    try {
      fs.writeFileSync(t.app.objects.pathFor('inbox', 'watched.csv'), 'x');
      await arrival;
      expect(calls).toBe(1);
      await t.app.objects.move('inbox', 'watched.csv', 'processed', 'watched.csv');
      await t.app.objects.delete('inbox', 'upload.csv.part');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls).toBe(1);
    } finally {
      stop();
    }
  });
});
