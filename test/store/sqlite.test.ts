import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { STORE_SCHEMA_VERSION } from '../../src/store/sqlite-schema.js';
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
      expect(db.prepare('SELECT unit_price_units, amount_units FROM order_lines').get()).toEqual({ unit_price_units: 10, amount_units: 30 });
      expect(db.prepare('SELECT total_money_units FROM orders').pluck().get()).toBe(30);
    } finally {
      db.close();
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
