import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportChunk } from '../../../src/ingest/files/index.js';
import type { OrderEvent } from '../../../src/events/schemas.js';
import { decodeChunk, encodeChunk } from '../../../src/ingest/files/chunk-transfer.js';
import { readEventFileInThread } from '../../../src/ingest/files/read-in-thread.js';
import { OPTIONS, REPO_ROOT, fixture, readWhole, realData, tempDir } from './helpers.js';

async function readInThread(file: string): Promise<ImportChunk[]> {
  const chunks: ImportChunk[] = [];
  for await (const chunk of readEventFileInThread(file, { ...OPTIONS, chunkEvents: 3 })) chunks.push(chunk);
  return chunks;
}

/** What a reader gives, whatever its chunk boundaries: events and problems in order, and the final totals. */
function content(chunks: ImportChunk[]) {
  const last = chunks.at(-1);
  return {
    events: chunks.flatMap((chunk) => chunk.events),
    problems: chunks.flatMap((chunk) => chunk.problems),
    totals: last && { rowsRead: last.rowsRead, bytesRead: last.bytesRead, totalBytes: last.totalBytes },
  };
}

describe('reading a file in a thread of its own', () => {
  it('gives every fixture exactly what readEventFile gives: same events, keys in the same order, same problems', async () => {
    // events.ndjson has events without ids, generated anew at each read: the next test compares it.
    const names = (await readdir(path.join(REPO_ROOT, 'test/fixtures/import'))).filter((name) => name !== 'events.ndjson');
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      const direct = content((await readWhole(fixture(name), { chunkEvents: 3 })).chunks);
      const threaded = content(await readInThread(fixture(name)));
      expect(threaded, name).toStrictEqual(direct);
      expect(JSON.stringify(threaded), name).toBe(JSON.stringify(direct));
    }
  });

  it('gives the real online-retail file event for event', async () => {
    const file = realData('online-retail.csv.gz');
    const direct = (await readWhole(file, { chunkEvents: 1000 })).events;
    const threaded: unknown[] = [];
    for await (const chunk of readEventFileInThread(file, { ...OPTIONS, chunkEvents: 1000 })) threaded.push(...chunk.events);
    expect(threaded).toHaveLength(25_900);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(direct));
  });

  it('rebuilds orders with optional fields present or absent, as they were sent', () => {
    const chunk: ImportChunk = {
      events: [
        { id: 'a', ts: '2011-01-01T00:00:00.000Z', source: 'import', type: 'order', order_id: 'A', customer_id: 'c1', country: 'France', seller_id: 's1', currency: 'GBP', cancellation: false,
          lines: [{ product_id: 'p', description: 'same text', quantity: 2, unit_price: '1.5', kind: 'product' }, { product_id: 'q', description: 'same text', quantity: -1, unit_price: '-3', kind: 'adjustment' }] },
        { id: 'b', ts: '2011-01-02T00:00:00.000Z', source: 'import', type: 'order', order_id: 'B', currency: 'GBP', cancellation: true, // no customer, country or seller
          lines: [{ product_id: 'p', quantity: -2, unit_price: '1.5', kind: 'product' }, { product_id: 'p', description: 'other text', quantity: 1e9, unit_price: '0', kind: 'fee' }] } as OrderEvent,
        { id: 'c', ts: '2011-01-03T00:00:00.000Z', source: 'import', type: 'order', order_id: 'C', customer_id: undefined, country: undefined, seller_id: undefined, currency: 'GBP', cancellation: false,
          lines: [{ product_id: 'p', description: undefined, quantity: 1, unit_price: '1.5', kind: 'product' }] },
      ],
      problems: [{ file: 'f', line: 3, field: 'Quantity', reason: 'is 0' }], rowsRead: 2, bytesRead: 10, totalBytes: 20,
    };
    const { encoded } = encodeChunk(chunk);
    expect(encoded.events.kind).toBe('orders');
    const decoded = decodeChunk(structuredClone(encoded));
    expect(decoded).toStrictEqual(chunk);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(chunk));
  });

  it('sends other events as they are', async () => {
    const direct = await readWhole(fixture('events.ndjson'), { chunkEvents: 3 });
    expect(direct.events.some((event) => event.type !== 'order')).toBe(true);
    // Ids generated for events without one differ from read to read; everything else is the same.
    const withoutGeneratedIds = (chunks: ImportChunk[]) => chunks.map((chunk) => ({ ...chunk, events: chunk.events.map((event) => ({ ...event, id: event.id.startsWith('ev_') ? 'generated' : event.id })) }));
    expect(content(withoutGeneratedIds(await readInThread(fixture('events.ndjson'))))).toStrictEqual(content(withoutGeneratedIds(direct.chunks)));
  });

  it('fails with the reader\'s own message for a file it cannot read', async () => {
    const missing = path.join(await tempDir(), 'missing.csv');
    await expect(readInThread(missing)).rejects.toThrow(/missing\.csv/);
    const unknown = path.join(await tempDir(), 'unknown.txt');
    await writeFile(unknown, 'hello,world\n1,2\n');
    await expect(readInThread(unknown)).rejects.toThrow(/not a known import format/);
  });

  it('gathers the thread\'s small chunks into chunks of at least half the size asked for, at most a little over it', async () => {
    const sizes: number[] = [];
    for await (const chunk of readEventFileInThread(realData('online-retail.csv.gz'), { ...OPTIONS, chunkEvents: 1000 })) sizes.push(chunk.events.length);
    expect(sizes.slice(0, -1).every((size) => size >= 500 && size < 1500), `${sizes}`).toBe(true);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(25_900);
  });

  it('stops its thread when the caller stops taking chunks', async () => {
    let taken = 0;
    for await (const chunk of readEventFileInThread(realData('online-retail.csv.gz'), { ...OPTIONS, chunkEvents: 100 })) {
      taken += chunk.events.length;
      if (taken >= 200) break;
    }
    expect(taken).toBeGreaterThanOrEqual(200);
    expect(taken).toBeLessThan(25_900);
    // A thread left running would keep reading and be reported by vitest as a hanging handle.
  });
});
