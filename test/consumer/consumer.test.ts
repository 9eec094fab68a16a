/** The consumer over a real app: an entry the log cannot read back is dead-lettered, and the entries after it still go through. */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorepulseEvent } from '../../src/events/schemas.js';
import { openTestApp, orderEvent, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await openTestApp(); });
afterAll(async () => { await t.close(); });

describe('consumer', () => {
  it('dead-letters what the log cannot read back, with the reason, and goes on with the entries after it', async () => {
    const before = StorepulseEvent.parse(orderEvent('before-the-bad-one'));
    const after = StorepulseEvent.parse(orderEvent('after-the-bad-one'));
    await t.app.log.append([before]);
    const db = new Database(path.join(t.dataDir, 'log.sqlite'));
    const refused = { ...orderEvent('taken-by-another-version'), currency: 'gbp' };
    db.prepare('INSERT INTO log_entries (received_at, event_count, payload, body_ids) VALUES (?, 1, ?, ?)')
      .run(new Date().toISOString(), Buffer.from(JSON.stringify([refused])), JSON.stringify({ format: 'json', ids: [refused.id] }));
    db.close();
    await t.app.log.append([after]);

    await t.app.consumer.drain();
    expect(await t.app.log.pending('storepulse')).toEqual({ entries: 0, events: 0 });
    expect(await t.app.warehouse.getInvoice('before-the-bad-one')).toBeDefined();
    expect(await t.app.warehouse.getInvoice('after-the-bad-one')).toBeDefined();
    expect(await t.app.warehouse.getInvoice('taken-by-another-version')).toBeUndefined();
    const letters = (await t.app.store.listDeadLetters({ limit: 10, offset: 0 })).items;
    expect(letters).toEqual([expect.objectContaining({
      event_id: 'taken-by-another-version', origin: 'log', payload: refused,
      reason: expect.stringMatching(/no longer passes the event contract \(currency: /),
    })]);
  });
});
