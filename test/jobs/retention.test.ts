import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionJob } from '../../src/jobs/retention.js';
import { hotWindowAt } from '../../src/store/hot-window.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { contextAt, feed, saleEvent, totals } from './job-test-app.js';

let t: TestApp;
let clock = Date.parse('2011-11-01T12:00:00Z');
beforeAll(async () => {
  t = await openTestApp({ STOREPULSE_HOT_DAYS: '7' }, { now: () => clock });
  // One order a day, 2011-11-01 to 2011-11-10, named by its day, each sent on its day (so into the hot store).
  for (let index = 0; index < 10; index += 1) {
    const day = `2011-11-${String(index + 1).padStart(2, '0')}`;
    clock = Date.parse(`${day}T12:00:00Z`);
    await feed(t.app, [saleEvent(`${day}T10:00:00Z`, [{ product_id: 'A', quantity: index + 1, unit_price: '2.00' }], `order-${day}`)]);
  }
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

  it('keeps an order sent after it left the hot window out of the store, and counts it in the warehouse and the stock', async () => {
    await feed(t.app, [saleEvent('2011-11-01T11:00:00Z', [{ product_id: 'A', quantity: 5, unit_price: '2.00' }], 'late-order')]);
    expect(await t.app.store.getInvoice('late-order')).toBeUndefined();
    expect(await t.app.warehouse.getInvoice('late-order')).toMatchObject({ order_id: 'late-order', total: '10.00', lines: [{ product_id: 'A', quantity: 5 }] });
    expect((await t.app.store.getProduct('A'))?.in_stock).toBe(-(55 + 5));
  });

  it('cuts at the start of a shop day', () => {
    expect(hotWindowAt(new Date('2011-12-10T00:30:00Z'), 7, 'UTC')).toEqual({ firstDay: '2011-12-03', from: '2011-12-03T00:00:00.000Z' });
    // 00:30 on 10 December in UTC is still the 9th in New York.
    expect(hotWindowAt(new Date('2011-12-10T00:30:00Z'), 7, 'America/New_York')).toEqual({ firstDay: '2011-12-02', from: '2011-12-02T05:00:00.000Z' });
    expect(hotWindowAt(new Date('2012-03-01T12:00:00Z'), 1, 'UTC').firstDay).toBe('2012-02-29');
    // A window longer than the timestamps events may carry (from 1990) keeps every order.
    expect(hotWindowAt(new Date('2026-12-01T12:00:00Z'), 36_500, 'UTC')).toEqual({ firstDay: '1926-12-26', from: '1990-01-01T00:00:00.000Z' });
  });
});
