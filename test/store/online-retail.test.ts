/**
 * The whole real online-retail file through the SQLite store, as the spine imports it (batches of
 * 1000 orders): every invoice and line lands once, money sums exactly, a replay adds nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { moneyToUnits } from '../../src/events/money.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { loadOnlineRetailOrders } from './online-retail-orders.js';

it('imports the whole online-retail file exactly once', async () => {
  const orders = loadOnlineRetailOrders();
  const lineCount = orders.reduce((sum, order) => sum + order.lines.length, 0);
  const netUnits = orders.reduce((sum, order) =>
    sum + order.lines.reduce((lineSum, line) => lineSum + line.quantity * moneyToUnits(line.unit_price), 0), 0);
  expect(orders).toHaveLength(25_900);
  expect(lineCount).toBe(541_909);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'storepulse-store-retail-'));
  const file = path.join(dir, 'store.sqlite');
  const store = openSqliteStore({ file });
  try {
    for (let start = 0; start < orders.length; start += 1000) {
      const batch = orders.slice(start, start + 1000);
      expect((await store.applyEvents(batch)).applied).toHaveLength(batch.length);
    }
    for (let start = 0; start < orders.length; start += 5000) {
      expect((await store.applyEvents(orders.slice(start, start + 5000))).applied).toEqual([]);
    }

    const invoice = await store.getInvoice('536365');
    expect(invoice).toMatchObject({ customer_id: '17850', country: 'United Kingdom', line_count: 7, total: '139.12' });
    expect(invoice?.lines[0]).toMatchObject({ product_id: '85123A', quantity: 6, unit_price: '2.55', amount: '15.30' });
    expect(await store.getInvoice('C536379')).toMatchObject({ cancellation: true });
    expect((await store.listInvoices('17850', { limit: 1, offset: 0 })).total).toBe(orders.filter((order) => order.customer_id === '17850').length);
    expect(await store.getProduct('POST')).toMatchObject({ kind: 'fee' });
    expect(await store.getProduct('B')).toMatchObject({ kind: 'adjustment' });
  } finally {
    await store.close();
  }
  const db = new Database(file, { readonly: true });
  try {
    const lines = 'orders, json_each(orders.lines) line';
    expect(db.prepare(`SELECT count(*) FROM ${lines}`).pluck().get()).toBe(541_909);
    expect(db.prepare('SELECT sum(line_count) FROM orders').pluck().get()).toBe(541_909);
    expect(db.prepare('SELECT sum(total_money_units) FROM orders').pluck().get()).toBe(netUnits);
    expect(db.prepare(`SELECT sum(line.value ->> 5) FROM ${lines}`).pluck().get()).toBe(netUnits);
    expect(db.prepare(`SELECT count(DISTINCT line.value ->> 0) FROM ${lines}`).pluck().get())
      .toBe(db.prepare('SELECT count(*) FROM products').pluck().get());
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});
