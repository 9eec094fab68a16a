/** The weekly-report job through the real scheduler: the week ending with the run, archived, published, notified. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { weeklyReportJob } from '../../src/jobs/weekly-report.js';
import { openTestApp, type TestApp } from '../helpers/app.js';

let test: TestApp;

beforeAll(async () => {
  test = await openTestApp();
  test.app.baseUrl = 'http://shop.example';
  const orders = [
    { id: 'o1', type: 'order', ts: '2011-11-14T10:00:00Z', order_id: 'o1', seller_id: 'anna', currency: 'GBP', lines: [{ product_id: 'MUG', description: 'Blue mug', quantity: 3, unit_price: '2.50' }] },
    { id: 'o2', type: 'order', ts: '2011-11-20T22:00:00Z', order_id: 'o2', currency: 'GBP', lines: [{ product_id: 'MUG', description: 'Blue mug', quantity: 1, unit_price: '2.50' }] },
    { id: 'o3', type: 'order', ts: '2011-11-13T22:00:00Z', order_id: 'o3', currency: 'GBP', lines: [{ product_id: 'MUG', description: 'Blue mug', quantity: 1, unit_price: '2.50' }] },
  ];
  expect((await test.app.pipeline.processRaw(orders, 'test')).deadLettered).toBe(0);
});

afterAll(async () => {
  await test.close();
});

function scheduler() {
  const job = weeklyReportJob(test.app);
  return createScheduler({ jobs: [job], store: test.app.store, notifier: test.app.notifier, logger: test.app.logger, retry: { attempts: 1, baseDelayMs: 1 } });
}

describe('weekly-report job', () => {
  it('runs on Sundays at 23:00 by default', () => {
    expect(weeklyReportJob(test.app)).toMatchObject({ name: 'weekly-report', defaultSchedule: '0 23 * * 0' });
  });

  it('reports Monday to Sunday of the run, files shop and seller reports, publishes and notifies with the link', async () => {
    const run = await scheduler().runNow('weekly-report', new Date('2011-11-20T23:00:00Z'));
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(run.outputs).toEqual({
      from: '2011-11-14', to: '2011-11-21', orders: 2, net_revenue: 10,
      shop_report: 'reports/2011-11-14_2011-11-21/Sales_Report.pdf',
      seller_reports: ['reports/2011-11-14_2011-11-21/sellers/anna.pdf'],
      published: 'http://shop.example/public/Sales_Report.pdf',
    });
    expect((await test.app.objects.get('public', 'Sales_Report.pdf')).equals(
      await test.app.objects.get('archive', 'reports/2011-11-14_2011-11-21/Sales_Report.pdf'))).toBe(true);
    const { items } = await test.app.store.listNotifications({ limit: 5, offset: 0 });
    expect(items[0]).toMatchObject({
      message: 'weekly-report ran successfully: 7 days, 2 orders, 1 seller report, report at http://shop.example/public/Sales_Report.pdf',
      link: 'http://shop.example/public/Sales_Report.pdf',
    });
  });

  it('links to the archived report when a back-fill does not replace the published one', async () => {
    const run = await scheduler().runNow('weekly-report', new Date('2011-11-13T23:00:00Z'));
    expect(run.outputs).toMatchObject({ from: '2011-11-07', to: '2011-11-14', orders: 1, published: null });
    const { items } = await test.app.store.listNotifications({ limit: 5, offset: 0 });
    expect(items[0].message).toBe('weekly-report ran successfully: 7 days, 1 order, report at http://shop.example/api/reports/2011-11-07_2011-11-14/Sales_Report.pdf');
  });
});
