import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { STORE_MIGRATIONS, STORE_SCHEMA_VERSION } from '../../src/store/sqlite-schema.js';
import { describeStoreContract, order } from '../contract/store.contract.js';

async function tempFile(): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'storepulse-store-'));
  return { file: path.join(dir, 'store.sqlite'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

describeStoreContract('sqlite', async () => {
  const { file, cleanup } = await tempFile();
  return { store: openSqliteStore({ file }), reopen: async () => openSqliteStore({ file }), cleanup };
});

describe('sqlite store', () => {
  it('keeps a row per customer: first and last order, order count, and the country of the latest order that has one', async () => {
    const { file, cleanup } = await tempFile();
    const store = openSqliteStore({ file });
    const line = [{ product_id: 'A', quantity: 1, unit_price: '1.00' }];
    try {
      await store.applyEvents([
        order('o1', { customer_id: 'c1', country: 'France', ts: '2024-03-02T10:00:00Z', lines: line }),
        order('o2', { customer_id: 'c1', ts: '2024-03-03T10:00:00Z', lines: line }),
        order('o3', { customer_id: 'c2', country: 'Spain', ts: '2024-03-01T10:00:00Z', lines: line }),
      ]);
      await store.applyEvents([
        order('o4', { customer_id: 'c1', country: 'Belgium', ts: '2024-03-04T10:00:00Z', lines: line }), // newer: moves c1
        order('o5', { customer_id: 'c2', country: 'Portugal', ts: '2024-02-01T10:00:00Z', lines: line }), // older, arriving late: c2 stays
        order('o6', { customer_id: 'c3', ts: '2024-03-05T10:00:00Z', lines: line }),
      ]);
      await store.applyEvents([order('o4', { customer_id: 'c1', country: 'Belgium', ts: '2024-03-04T10:00:00Z', lines: line })]); // replayed: counted once
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT * FROM customers ORDER BY customer_id').all()).toEqual([
        { customer_id: 'c1', country: 'Belgium', first_seen: '2024-03-02T10:00:00.000Z', last_seen: '2024-03-04T10:00:00.000Z', order_count: 3 },
        { customer_id: 'c2', country: 'Spain', first_seen: '2024-02-01T10:00:00.000Z', last_seen: '2024-03-01T10:00:00.000Z', order_count: 2 },
        { customer_id: 'c3', country: null, first_seen: '2024-03-05T10:00:00.000Z', last_seen: '2024-03-05T10:00:00.000Z', order_count: 1 },
      ]);
    } finally {
      db.close();
      await cleanup();
    }
  });

  it('stores money as integer units of 10^-4', async () => {
    const { file, cleanup } = await tempFile();
    const store = openSqliteStore({ file });
    try {
      await store.applyEvents([order('o1', { lines: [{ product_id: 'A', quantity: 3, unit_price: '0.001' }] })]);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(JSON.parse(db.prepare('SELECT lines FROM orders').pluck().get() as string)).toEqual([['A', null, 3, 10, 'product', 30]]);
      expect(db.prepare('SELECT total_money_units FROM orders').pluck().get()).toBe(30);
    } finally {
      db.close();
      await cleanup();
    }
  });

  it('moves the order_lines rows of a version-2 store into their orders, in line order', async () => {
    const { file, cleanup } = await tempFile();
    const db = new Database(file);
    try {
      db.exec(STORE_MIGRATIONS[0]);
      db.exec(STORE_MIGRATIONS[1]);
      db.pragma('user_version = 2');
      db.exec(`
        INSERT INTO orders VALUES (1, 'INV-1', 'e1', '2011-11-14T08:26:00.000Z', 'c1', 'France', NULL, 'GBP', 0, 2, 183000);
        INSERT INTO orders VALUES (2, 'INV-2', 'e2', '2011-11-15T08:26:00.000Z', NULL, NULL, NULL, 'GBP', 1, 0, 0);
        INSERT INTO order_lines VALUES (1, 2, 'POST', 'POSTAGE', 1, 180000, 'fee', 180000);
        INSERT INTO order_lines VALUES (1, 1, '85123A', NULL, 1, 3000, 'product', 3000);`);
    } finally {
      db.close();
    }
    const store = openSqliteStore({ file });
    try {
      expect(await store.getInvoice('INV-1')).toMatchObject({ total: '18.30', lines: [
        { line_no: 1, product_id: '85123A', description: null, quantity: 1, unit_price: '0.30', kind: 'product', amount: '0.30' },
        { line_no: 2, product_id: 'POST', description: 'POSTAGE', quantity: 1, unit_price: '18.00', kind: 'fee', amount: '18.00' },
      ] });
      expect((await store.getInvoice('INV-2'))?.lines).toEqual([]);
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('opens an existing file without migrating again, and refuses a newer schema', async () => {
    const { file, cleanup } = await tempFile();
    try {
      await openSqliteStore({ file }).close();
      await openSqliteStore({ file }).close();
      const db = new Database(file);
      expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
      db.pragma(`user_version = ${STORE_SCHEMA_VERSION + 1}`);
      db.close();
      expect(() => openSqliteStore({ file })).toThrow(/newer than this program/);
    } finally {
      await cleanup();
    }
  });
});
