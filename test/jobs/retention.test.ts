import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionCutOffDay, retentionJob } from '../../src/jobs/retention.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { contextAt, feed, saleEvent, totals } from './job-test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp({ STOREPULSE_HOT_DAYS: '7' });
  // One order a day, 2011-11-01 to 2011-11-10, named by its day.
  await feed(t.app, Array.from({ length: 10 }, (_, index) => {
    const day = `2011-11-${String(index + 1).padStart(2, '0')}`;
    return saleEvent(`${day}T10:00:00Z`, [{ product_id: 'A', quantity: index + 1, unit_price: '2.00' }], `order-${day}`);
  }));
});
afterAll(async () => { await t.close(); });

describe('retention job', () => {
  it('prunes the orders before the last 7 days from the hot store, while KPIs over the old period still answer the same', async () => {
    const period = ['2011-11-01T00:00:00Z', '2011-11-11T00:00:00Z'] as const;
    const before = await totals(t.app, ...period);
    expect(before).toMatchObject({ orders: 10, net_revenue: 110 });

    const outcome = await retentionJob(t.app).run(contextAt(t.app, '2011-11-10T00:30:00Z'));
    expect(outcome.summary).toBe('pruned 2 orders dated before 2011-11-03 from the hot store (keeping 7 days); the warehouse and the lake keep them');
    expect(outcome.outputs).toEqual({ pruned_orders: 2, before: '2011-11-03T00:00:00.000Z', hot_days: 7 });

    expect(await t.app.store.getInvoice('order-2011-11-01')).toBeUndefined();
    expect(await t.app.store.getInvoice('order-2011-11-02')).toBeUndefined();
    expect(await t.app.store.getInvoice('order-2011-11-03')).toBeDefined();
    expect(await totals(t.app, ...period)).toEqual(before);

    const again = await retentionJob(t.app).run(contextAt(t.app, '2011-11-10T00:30:00Z'));
    expect(again.outputs.pruned_orders).toBe(0);
  });

  it('cuts at the start of a shop day', () => {
    expect(retentionCutOffDay(new Date('2011-12-10T00:30:00Z'), 7, 'UTC')).toBe('2011-12-03');
    // 00:30 on 10 December in UTC is still the 9th in New York.
    expect(retentionCutOffDay(new Date('2011-12-10T00:30:00Z'), 7, 'America/New_York')).toBe('2011-12-02');
    expect(retentionCutOffDay(new Date('2012-03-01T12:00:00Z'), 1, 'UTC')).toBe('2012-02-29');
  });
});
