/**
 * Behaviour every EventLog adapter must have (DESIGN §2). Run from test/log/<adapter>.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorepulseEvent, type StorepulseEventInput } from '../../src/events/schemas.js';
import type { EventLog } from '../../src/log/port.js';

export interface LogFixture {
  log: EventLog;
  /** Closes nothing itself: opens a new EventLog on the same underlying storage. */
  reopen: () => Promise<EventLog>;
  cleanup: () => Promise<void>;
}

let sequence = 0;

/** A valid order event with the given id (a fresh one when omitted). */
export function orderEvent(id?: string, overrides: Partial<StorepulseEventInput> = {}): StorepulseEvent {
  sequence += 1;
  return StorepulseEvent.parse({
    id: id ?? `order-${sequence}`,
    type: 'order',
    ts: '2011-11-14T08:26:00Z',
    source: 'contract',
    order_id: `inv-${sequence}`,
    customer_id: 'c-17850',
    country: 'United Kingdom',
    currency: 'GBP',
    lines: [
      { product_id: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6, unit_price: '2.55' },
      { product_id: 'POST', quantity: 1, unit_price: '18.00', kind: 'fee' },
    ],
    ...overrides,
  });
}

const HOSTILE = `it's "quoted" '; DROP TABLE log_entries; -- ünïcødé 💥 \\ back\\slash`;

export function describeEventLogContract(name: string, makeLog: () => Promise<LogFixture>): void {
  describe(`EventLog contract: ${name}`, () => {
    let fixture: LogFixture;
    let log: EventLog;
    const opened: EventLog[] = [];

    const reopen = async () => {
      await log.close();
      log = await fixture.reopen();
      opened.push(log);
      return log;
    };

    beforeEach(async () => {
      fixture = await makeLog();
      log = fixture.log;
      opened.push(log);
    });

    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
      await fixture.cleanup();
    });

    it('accepts new ids in request order and returns the events as one entry', async () => {
      const events = [orderEvent('a'), orderEvent('b'), orderEvent('c')];
      const result = await log.append(events);
      expect(result).toEqual({ accepted: ['a', 'b', 'c'], duplicates: [] });
      const entries = await log.read('worker', 1000);
      expect(entries).toHaveLength(1);
      expect(entries[0].events).toEqual(events);
      expect(typeof entries[0].position).toBe('string');
      expect(Number.isNaN(Date.parse(entries[0].receivedAt))).toBe(false);
    });

    it('reports an id repeated within one batch as a duplicate and stores it once', async () => {
      const first = orderEvent('dup');
      const result = await log.append([first, orderEvent('other'), orderEvent('dup')]);
      expect(result).toEqual({ accepted: ['dup', 'other'], duplicates: ['dup'] });
      const entries = await log.read('worker', 1000);
      expect(entries.flatMap((entry) => entry.events.map((event) => event.id))).toEqual(['dup', 'other']);
      expect(entries[0].events[0]).toEqual(first);
    });

    it('reports ids accepted by an earlier append as duplicates, and adds no entry for an all-duplicate batch', async () => {
      await log.append([orderEvent('x'), orderEvent('y')]);
      expect(await log.append([orderEvent('y'), orderEvent('z')])).toEqual({ accepted: ['z'], duplicates: ['y'] });
      expect(await log.append([orderEvent('x'), orderEvent('z')])).toEqual({ accepted: [], duplicates: ['x', 'z'] });
      expect(await log.pending('worker')).toEqual({ entries: 2, events: 3 });
    });

    it('gives concurrent appends one entry each, in call order, and accepts an id shared between them once', async () => {
      const results = await Promise.all([
        log.append([orderEvent('c1'), orderEvent('shared')]),
        log.append([orderEvent('shared'), orderEvent('c2')]),
        log.append([orderEvent('c3')]),
      ]);
      expect(results).toEqual([
        { accepted: ['c1', 'shared'], duplicates: [] },
        { accepted: ['c2'], duplicates: ['shared'] },
        { accepted: ['c3'], duplicates: [] },
      ]);
      const entries = await log.read('worker', 1000);
      expect(entries.map((entry) => entry.events.map((event) => event.id))).toEqual([['c1', 'shared'], ['c2'], ['c3']]);
    });

    it('accepts events whose ids were generated at ingest without looking them up, and still dedupes the client ids beside them', async () => {
      await log.append([orderEvent('client-1')]);
      const generated = [orderEvent('ev_generated_1'), orderEvent('client-1'), orderEvent('ev_generated_2'), orderEvent('client-2')];
      expect(await log.append(generated, { idGenerated: [true, false, true, false] })).toEqual({ accepted: ['ev_generated_1', 'ev_generated_2', 'client-2'], duplicates: ['client-1'] });
      expect(await log.append([orderEvent('client-2')], { idGenerated: [false] })).toEqual({ accepted: [], duplicates: ['client-2'] });
      const entries = await log.read('worker', 1000);
      expect(entries.map((entry) => entry.events.map((event) => event.id))).toEqual([['client-1'], ['ev_generated_1', 'ev_generated_2', 'client-2']]);
    });

    it('reads back the events appended with their request body, whichever form it stores: without the rejected ones and the duplicates', async () => {
      await log.append([orderEvent('seen-before')]);
      for (const format of ['json', 'ndjson'] as const) {
        const raw = [
          { type: 'order', ts: '2011-11-14T09:00:00+01:00', order_id: 'b-1', currency: 'GBP', note: 'unknown keys are dropped', lines: [{ product_id: 'P1', quantity: 2, unit_price: 2.5 }] },
          { type: 'order', ts: '2011-11-14T08:26:00Z', order_id: 'b-2', currency: 'GBP', lines: [] },
          { id: 'seen-before', type: 'product_view', ts: 1321259160000, product_id: 'P1' },
          { id: `client-${format}`, type: 'product_view', ts: 1321259160000, product_id: 'P1', location: HOSTILE },
          { type: 'restock', ts: '2011-11-14T08:26:00Z', product_id: 'P1', quantity: 3 },
        ];
        const checks = raw.map((event) => StorepulseEvent.safeParse(event));
        const events = checks.filter((check) => check.success).map((check) => check.data!);
        const idGenerated = raw.filter((_, index) => checks[index].success).map((event) => !('id' in event));
        const ids = checks.map((check) => (check.success ? check.data.id : null));
        const text = format === 'json' ? JSON.stringify({ events: raw }) : raw.map((event) => JSON.stringify(event)).join('\n\n');
        const result = await log.append(events, { idGenerated, body: { format, body: Buffer.from(text), ids } });
        expect(result).toEqual({ accepted: [events[0].id, `client-${format}`, events[3].id], duplicates: ['seen-before'] });
        const entries = await log.read('worker', 1000);
        expect(entries.at(-1)!.events).toEqual([events[0], events[2], events[3]]);
        await log.ack('worker', entries.map((entry) => entry.position));
      }
    });

    it('treats an empty append as nothing to do', async () => {
      expect(await log.append([])).toEqual({ accepted: [], duplicates: [] });
      expect(await log.read('worker', 10)).toEqual([]);
    });

    it('returns the same entries on every read until they are acknowledged', async () => {
      await log.append([orderEvent('1')]);
      await log.append([orderEvent('2')]);
      const first = await log.read('worker', 1000);
      const second = await log.read('worker', 1000);
      expect(second).toEqual(first);
      expect(first.map((entry) => entry.events[0].id)).toEqual(['1', '2']);

      await log.ack('worker', [first[0].position]);
      const third = await log.read('worker', 1000);
      expect(third.map((entry) => entry.events[0].id)).toEqual(['2']);
      await log.ack('worker', [third[0].position]);
      expect(await log.read('worker', 1000)).toEqual([]);
      expect(await log.pending('worker')).toEqual({ entries: 0, events: 0 });
    });

    it('keeps a position per consumer', async () => {
      await log.append([orderEvent('1'), orderEvent('2')]);
      const [entry] = await log.read('store-writer', 10);
      await log.ack('store-writer', [entry.position]);
      expect(await log.read('store-writer', 10)).toEqual([]);
      expect((await log.read('warehouse-writer', 10)).map((each) => each.position)).toEqual([entry.position]);
      expect(await log.pending('warehouse-writer')).toEqual({ entries: 1, events: 2 });
    });

    it('honours an acknowledgement of a later entry before an earlier one', async () => {
      for (const id of ['1', '2', '3']) await log.append([orderEvent(id)]);
      const entries = await log.read('worker', 1000);
      await log.ack('worker', [entries[2].position]);
      expect((await log.read('worker', 1000)).map((entry) => entry.events[0].id)).toEqual(['1', '2']);
      await log.ack('worker', [entries[0].position]);
      expect((await log.read('worker', 1000)).map((entry) => entry.events[0].id)).toEqual(['2']);
      await log.ack('worker', [entries[1].position]);
      expect(await log.pending('worker')).toEqual({ entries: 0, events: 0 });
      await log.append([orderEvent('4')]);
      expect((await log.read('worker', 1000)).map((entry) => entry.events[0].id)).toEqual(['4']);
    });

    it('bounds a read by maxEvents but always returns at least one entry', async () => {
      await log.append([orderEvent('a1'), orderEvent('a2'), orderEvent('a3')]);
      await log.append([orderEvent('b1'), orderEvent('b2')]);
      await log.append([orderEvent('c1')]);
      expect((await log.read('worker', 1)).map((entry) => entry.events.length)).toEqual([3]);
      expect((await log.read('worker', 5)).map((entry) => entry.events.length)).toEqual([3, 2]);
      expect((await log.read('worker', 100)).map((entry) => entry.events.length)).toEqual([3, 2, 1]);
      expect(await log.pending('worker')).toEqual({ entries: 3, events: 6 });
    });

    it('keeps entries, ids and acknowledged positions across a reopen', async () => {
      await log.append([orderEvent('p1'), orderEvent('p2')]);
      await log.append([orderEvent('p3')]);
      const [first] = await log.read('worker', 2);
      await log.ack('worker', [first.position]);

      await reopen();
      expect((await log.read('worker', 100)).flatMap((entry) => entry.events.map((event) => event.id))).toEqual(['p3']);
      expect(await log.append([orderEvent('p1'), orderEvent('p4')])).toEqual({ accepted: ['p4'], duplicates: ['p1'] });
      expect(await log.pending('worker')).toEqual({ entries: 2, events: 2 });
    });

    it('stores hostile strings verbatim', async () => {
      const event = orderEvent(`id ${HOSTILE}`.slice(0, 128), {
        customer_id: HOSTILE.slice(0, 128),
        country: 'Côte d’Ivoire',
        lines: [{ product_id: `'; DROP TABLE log_ids; --`, description: HOSTILE, quantity: 1, unit_price: '1.5' }],
      } as Partial<StorepulseEventInput>);
      expect((await log.append([event])).accepted).toEqual([event.id]);
      await reopen();
      const [entry] = await log.read('worker', 10);
      expect(entry.events).toEqual([event]);
      expect((await log.append([event])).duplicates).toEqual([event.id]);
    });

    it('wakes a waiting reader when an event is appended', async () => {
      const woken = log.waitForAppend(30_000).then(() => 'woken');
      await log.append([orderEvent('wake')]);
      const outcome = await Promise.race([woken, new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting'))]);
      expect(outcome).toBe('woken');
    });

    it('stops waiting after the timeout when nothing is appended', async () => {
      await expect(log.waitForAppend(20)).resolves.toBeUndefined();
    });
  });
}
