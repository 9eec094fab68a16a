import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { STORE_MIGRATIONS } from '../../src/store/sqlite-schema.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { QueryRecord, Store } from '../../src/store/port.js';

const HOSTILE = `Côte d'Ivoire"; DROP TABLE queries; -- \u0000 ../../etc/passwd 🙂`;

function query(id: string, overrides: Partial<QueryRecord> = {}): QueryRecord {
  return {
    id, from: '2011-01-01T00:00:00.000Z', to: '2011-02-01T00:00:00.000Z', country: 'France', status: 'pending',
    created_at: '2024-05-01T10:00:00.000Z', finished_at: null, rows: null, object_key: null, error: null, ...overrides,
  };
}

let dir: string;
let file: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'storepulse-queries-'));
  file = path.join(dir, 'store.sqlite');
  store = openSqliteStore({ file });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sqlite store: queries', () => {
  it('saves a query and gives it back as saved, hostile text included', async () => {
    const saved = query('q_1', { country: HOSTILE });
    await store.saveQuery(saved);
    expect(await store.getQuery('q_1')).toEqual(saved);
    expect(await store.getQuery('q_missing')).toBeUndefined();
  });

  it('replaces a query as it moves from pending to running to done, and keeps it across a reopen', async () => {
    await store.saveQuery(query('q_1'));
    await store.saveQuery(query('q_1', { status: 'running' }));
    const done = query('q_1', { status: 'done', finished_at: '2024-05-01T10:00:02.000Z', rows: 1234, object_key: 'queries/q_1.csv' });
    await store.saveQuery(done);
    await store.close();
    store = openSqliteStore({ file });
    expect(await store.getQuery('q_1')).toEqual(done);
    expect((await store.listQueries({ limit: 10, offset: 0 })).total).toBe(1);
  });

  it('lists newest first, filters by status, and pages with the total', async () => {
    await store.saveQuery(query('q_a', { created_at: '2024-05-01T10:00:00.000Z' }));
    await store.saveQuery(query('q_b', { created_at: '2024-05-01T10:00:01.000Z', status: 'failed', error: 'disk full' }));
    await store.saveQuery(query('q_c', { created_at: '2024-05-01T10:00:02.000Z' }));
    await store.saveQuery(query('q_d', { created_at: '2024-05-01T10:00:02.000Z', status: 'done', rows: 0, object_key: 'queries/q_d.csv' }));

    const all = await store.listQueries({ limit: 10, offset: 0 });
    expect(all.items.map((item) => item.id)).toEqual(['q_d', 'q_c', 'q_b', 'q_a']);
    expect(all.total).toBe(4);

    const pending = await store.listQueries({ status: 'pending', limit: 1, offset: 1 });
    expect(pending).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(pending.items.map((item) => item.id)).toEqual(['q_a']);

    const failed = await store.listQueries({ status: 'failed', limit: 10, offset: 0 });
    expect(failed.items).toEqual([query('q_b', { created_at: '2024-05-01T10:00:01.000Z', status: 'failed', error: 'disk full' })]);
  });

  it('refuses a status it does not know, and bad paging', async () => {
    await expect(store.saveQuery(query('q_1', { status: 'finished' as QueryRecord['status'] }))).rejects.toThrow(/q_1.*finished.*pending, running, done, failed/);
    await expect(store.listQueries({ limit: -1, offset: 0 })).rejects.toThrow(/limit -1/);
    expect(await store.getQuery('q_1')).toBeUndefined();
  });

  it('adds the queries table to a store written before it existed', async () => {
    await store.close();
    fs.rmSync(file);
    const db = new Database(file);
    db.exec(STORE_MIGRATIONS[0]);
    db.pragma('user_version = 1');
    db.close();
    store = openSqliteStore({ file });
    expect(await store.getQuery('q_new')).toBeUndefined();
    await store.saveQuery(query('q_new'));
    expect((await store.listQueries({ limit: 10, offset: 0 })).items.map((item) => item.id)).toEqual(['q_new']);
  });
});
