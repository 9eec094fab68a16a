import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionJob } from '../../src/jobs/attention.js';
import { openTestApp, readHeaders, type TestApp } from '../helpers/app.js';
import { contextAt, feed, productEvent, saleEvent, viewEvent } from './job-test-app.js';

const HOUR = 60 * 60 * 1000;
const at = new Date('2011-11-14T12:00:00Z');
const before = (ms: number) => new Date(at.getTime() - ms).toISOString();

let t: TestApp;
beforeAll(async () => { t = await openTestApp(); });
afterAll(async () => { await t.close(); });

function countersOf(windowEnd: string) {
  const db = new Database(path.join(t.dataDir, 'store.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT product_id, views, purchases FROM attention_counters WHERE window_end = ? ORDER BY product_id').all(windowEnd);
  } finally {
    db.close();
  }
}

describe('attention job', () => {
  it('counts exactly the views and purchases of [at − 4h, at) and keeps the top list by views, ties by product id', async () => {
    const views = [
      ...Array.from({ length: 5 }, () => viewEvent('A', before(1 * HOUR))),
      viewEvent('A', before(4 * HOUR)), // the window's first instant is in
      viewEvent('A', at.toISOString()), // its end is not
      viewEvent('A', before(4 * HOUR + 1)),
      ...Array.from({ length: 3 }, () => viewEvent('C', before(2 * HOUR))),
      ...Array.from({ length: 3 }, () => viewEvent('B', before(3 * HOUR))),
      viewEvent('D', before(5 * HOUR)),
    ];
    await feed(t.app, [...views, saleEvent(before(HOUR), [{ product_id: 'A', quantity: 2, unit_price: '1.00' }, { product_id: 'E', quantity: 7, unit_price: '1.00' }])]);

    const outcome = await attentionJob(t.app).run(contextAt(t.app, at));
    expect(outcome.summary).toBe('2011-11-14T08:00:00.000Z to 2011-11-14T12:00:00.000Z: 12 views of 4 products, top 3 kept; most viewed A (6 views)');

    const top = await t.app.store.latestHighAttention();
    expect(top.map(({ product_id, views: count }) => [product_id, count])).toEqual([['A', 6], ['B', 3], ['C', 3]]);
    expect(countersOf(at.toISOString())).toEqual([
      { product_id: 'A', views: 6, purchases: 2 },
      { product_id: 'B', views: 3, purchases: 0 },
      { product_id: 'C', views: 3, purchases: 0 },
      { product_id: 'E', views: 0, purchases: 7 },
    ]);
  });

  it('keeps 100 products, the most viewed first', async () => {
    const windowEnd = new Date('2011-11-20T12:00:00Z');
    const views = Array.from({ length: 120 }, (_, index) => index + 1)
      .flatMap((count) => Array.from({ length: count }, () => viewEvent(`P${count}`, new Date(windowEnd.getTime() - HOUR).toISOString())));
    await feed(t.app, views);
    await attentionJob(t.app).run(contextAt(t.app, windowEnd));
    const top = await t.app.store.latestHighAttention();
    expect(top).toHaveLength(100);
    expect(top[0]).toMatchObject({ product_id: 'P120', views: 120 });
    expect(top[99]).toMatchObject({ product_id: 'P21', views: 21 });
    expect(top.every((entry, index) => index === 0 || top[index - 1].views > entry.views)).toBe(true);
  });

  it('feeds GET /api/products/:id: views_last_4h counted up to the request, high_attention from the last run', async () => {
    const now = Date.now();
    await feed(t.app, [productEvent('LIVE'), productEvent('QUIET')]);
    await feed(t.app, [
      ...Array.from({ length: 4 }, () => viewEvent('LIVE', new Date(now - HOUR).toISOString())),
      viewEvent('LIVE', new Date(now - 5 * HOUR).toISOString()),
      viewEvent('QUIET', new Date(now - 2 * HOUR).toISOString()),
    ]);
    await attentionJob(t.app).run(contextAt(t.app, new Date(now)));
    // A view after the run still counts: the counter is live.
    await feed(t.app, [viewEvent('LIVE', new Date().toISOString())]);

    const live = (await t.server.inject({ method: 'GET', url: '/api/products/LIVE', headers: readHeaders })).json();
    expect(live).toMatchObject({ product_id: 'LIVE', views_last_4h: 5, high_attention: true });
    const quiet = (await t.server.inject({ method: 'GET', url: '/api/products/QUIET', headers: readHeaders })).json();
    expect(quiet).toMatchObject({ views_last_4h: 1, high_attention: true });

    const list = (await t.server.inject({ method: 'GET', url: '/api/products/high-attention', headers: readHeaders })).json();
    expect(list.products.map((entry: { product_id: string }) => entry.product_id)).toEqual(['LIVE', 'QUIET']);
    expect(list.window.end).toBe(new Date(now).toISOString());
  });

  it('drops a top list whose window ended more than two periods ago: it is history, not current', async () => {
    const fresh = await openTestApp();
    try {
      const now = Date.now();
      await feed(fresh.app, [productEvent('OLD'), viewEvent('OLD', new Date(now - 10 * HOUR).toISOString())]);
      await attentionJob(fresh.app).run(contextAt(fresh.app, new Date(now - 9 * HOUR)));
      expect((await fresh.app.store.latestHighAttention()).map((entry) => entry.product_id)).toEqual(['OLD']);
      const list = (await fresh.server.inject({ method: 'GET', url: '/api/products/high-attention', headers: readHeaders })).json();
      expect(list).toEqual({ window: null, products: [] });
      const product = (await fresh.server.inject({ method: 'GET', url: '/api/products/OLD', headers: readHeaders })).json();
      expect(product.high_attention).toBe(false);
    } finally {
      await fresh.close();
    }
  });
});
