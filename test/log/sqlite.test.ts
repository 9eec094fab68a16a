import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteLog, type SqliteLogOptions } from '../../src/log/sqlite.js';
import type { EventLog } from '../../src/log/port.js';
import { startLogWriter, type LogWriter } from '../../src/log/sqlite-writer.js';
import { describeEventLogContract, orderEvent } from '../contract/log.contract.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'storepulse-log-'));
}

type OpenLog = (options?: Omit<SqliteLogOptions, 'file'>) => EventLog;

/** Runs `test` with a log file in a new temp dir; the logs it opens with `open` are closed, and the dir removed, after it. */
async function withLogFile(test: (file: string, open: OpenLog) => Promise<void>): Promise<void> {
  const dir = await tempDir();
  const file = path.join(dir, 'log.sqlite');
  const logs: EventLog[] = [];
  try {
    await test(file, (options = {}) => {
      const log = openSqliteLog({ file, ...options });
      logs.push(log);
      return log;
    });
  } finally {
    for (const log of logs) await log.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describeEventLogContract('sqlite', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'log.sqlite');
  return {
    log: openSqliteLog({ file }),
    reopen: async () => openSqliteLog({ file }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('sqlite event log', () => {
  it('wakes a reader in this process when another EventLog on the same file appends', () => withLogFile(async (_file, open) => {
    const reader = open();
    const writer = open({ sync: 'full' });
    const woken = reader.waitForAppend(30_000).then(() => 'woken');
    await writer.append([orderEvent('from-writer')]);
    const outcome = await Promise.race([woken, new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting'))]);
    expect(outcome).toBe('woken');
    expect((await reader.read('worker', 10))[0].events[0].id).toBe('from-writer');
  }));

  it('rejects a position it never returned, naming it', () => withLogFile(async (_file, open) => {
    const log = open();
    await expect(log.ack('worker', ['not-a-position'])).rejects.toThrow(/"not-a-position"/);
    await log.append([orderEvent('only')]);
    await expect(log.ack('worker', ['999'])).rejects.toThrow(/"999" holds no entry/);
    expect(await log.pending('worker')).toEqual({ entries: 1, events: 1 });
  }));

  it('upgrades a log of schema version 1 in place and reads its entries back', () => withLogFile(async (file, open) => {
    const event = orderEvent('from-version-1');
    const old = new Database(file);
    old.exec(`
      CREATE TABLE log_entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, event_count INTEGER NOT NULL, payload TEXT NOT NULL);
      CREATE TABLE log_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE consumer_positions (consumer TEXT PRIMARY KEY, acked_through INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE consumer_acks (consumer TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (consumer, seq)) WITHOUT ROWID;
      PRAGMA user_version = 1;`);
    old.prepare('INSERT INTO log_entries (received_at, event_count, payload) VALUES (?, 1, ?)').run(new Date().toISOString(), JSON.stringify([event]));
    old.prepare('INSERT INTO log_ids (id) VALUES (?)').run(event.id);
    old.close();
    const log = open();
    expect((await log.read('worker', 10))[0].events).toEqual([event]);
    expect(await log.append([event])).toEqual({ accepted: [], duplicates: [event.id] });
  }));

  it('starts a new writer thread after one died: the appends it had are refused, to be retried, and the next ones are taken', () => withLogFile(async (file, open) => {
    let started = 0;
    // The first writer stands in for a thread that died under its first append.
    const dead: LogWriter = { stopped: false, append: async () => { (dead as { stopped: boolean }).stopped = true; throw new Error('the log writer thread exited; whether the append was stored is unknown: retry it with the same ids'); }, close: async () => {} };
    const log = open({ startWriter: (...args) => (started += 1) === 1 ? dead : startLogWriter(...args) });
    await expect(log.append([orderEvent('lost-with-the-thread')])).rejects.toThrow(/retry it with the same ids/);
    expect(await log.append([orderEvent('lost-with-the-thread'), orderEvent('next')])).toEqual({ accepted: ['lost-with-the-thread', 'next'], duplicates: [] });
    expect(started).toBe(2);
    expect((await log.read('worker', 10)).flatMap((entry) => entry.events.map((event) => event.id))).toEqual(['lost-with-the-thread', 'next']);
  }));

  it('reads an entry it cannot take back as unreadable, with the reason, and the rest of it as events', () => withLogFile(async (file, open) => {
    const good = orderEvent('still-good');
    const refused = { ...orderEvent('refused-now'), currency: 'gbp' }; // as another version of storepulse might have taken it
    const log = open();
    await log.append([good]); // creates the tables
    const db = new Database(file);
    const body = Buffer.from(JSON.stringify([good, refused]));
    const insert = db.prepare('INSERT INTO log_entries (received_at, event_count, payload, body_ids) VALUES (?, ?, ?, ?)');
    insert.run(new Date().toISOString(), 2, body, JSON.stringify({ format: 'json', ids: [good.id, refused.id] }));
    insert.run(new Date().toISOString(), 1, Buffer.from('not deflate'), JSON.stringify({ format: 'json', encoding: 'deflate-raw', ids: ['x'] }));
    db.close();
    const [, mixed, damaged] = await log.read('worker', 100);
    expect(mixed.events).toEqual([good]);
    expect(mixed.unreadable).toEqual([{ event_id: 'refused-now', payload: refused, reason: expect.stringMatching(/entry \d+, event 1: no longer passes the event contract \(currency: /) }]);
    expect(damaged.events).toEqual([]);
    expect(damaged.unreadable).toEqual([{ payload: expect.objectContaining({ body: Buffer.from('not deflate').toString('base64') }), reason: expect.stringMatching(/cannot be read back/) }]);
  }));

  it('keeps the WAL bounded while appends never pause, and counts everything appended', () => withLogFile(async (file, open) => {
    const maxWalFrames = 500;
    const log = open({ maxWalFrames });
    const lines = Array.from({ length: 20 }, (_, index) => ({ product_id: `P${index}`, description: 'x'.repeat(100), quantity: 1, unit_price: '1.00', kind: 'product' as const }));
    let largestWal = 0;
    let appended = 0;
    const started = Date.now();
    for (let batch = 0; Date.now() - started < 1500; batch += 1) {
      // Concurrent appends, so that commits keep coming.
      await Promise.all(Array.from({ length: 5 }, (_, index) => log.append([orderEvent(`b${batch}-${index}`, { lines })])));
      appended += 5;
      largestWal = Math.max(largestWal, (await stat(`${file}-wal`)).size);
    }
    // Frames are a page (4 KiB) and a 24-byte header; the file grows past the bound by what commits while a background checkpoint holds the lock.
    expect(largestWal).toBeLessThan(4 * maxWalFrames * (4096 + 24));
    expect(await log.pending('worker')).toEqual({ entries: appended, events: appended });
  }));
});
