/**
 * The objects port's contract: every adapter (folder, S3) runs this suite unchanged.
 * Usage: describeObjectsContract('folder', async () => ({ objects, cleanup }))
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_KEY_BYTES, ObjectKeyError, ObjectNotFoundError, UnknownBucketError, type Bucket, type Objects,
} from '../../src/objects/port.js';

export interface ObjectsFixture {
  objects: Objects;
  cleanup(): Promise<void>;
}

export const HOSTILE_KEYS: Array<[key: string, rule: RegExp]> = [
  ['../etc/passwd', /"\.\." segment/],
  ['/abs', /absolute path/],
  ['/etc/passwd', /absolute path/],
  ['a/../../b', /"\.\." segment/],
  ['a/..', /"\.\." segment/],
  ['..', /"\.\." segment/],
  ['\u0000', /control character/],
  ['a\u0000b', /control character/],
  ['line\nbreak', /control character/],
  ['a\\..\\b', /backslash/],
  ['C:/windows', /absolute path/],
  ['', /empty/],
  ['a//b', /empty segment/],
  ['a/', /empty segment/],
  ['./a', /"\." segment/],
  ['x'.repeat(MAX_KEY_BYTES + 1), /longer than 1024 bytes/],
  ['x'.repeat(256), /segment is longer than 255 bytes/],
  ['.storepulse-abc.partial', /reserved/],
];

function chunkedStream(chunks: Buffer[]): Readable {
  return Readable.from(chunks);
}

/** A body that yields its first half, then waits until `release()` before yielding the rest. */
function heldStream(first: Buffer, rest: Buffer): { stream: Readable; release(): void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  async function* body() {
    yield first;
    await released;
    yield rest;
  }
  return { stream: Readable.from(body()), release };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

export function describeObjectsContract(name: string, make: () => Promise<ObjectsFixture>): void {
  describe(`objects contract: ${name}`, () => {
    let fixture: ObjectsFixture;
    let objects: Objects;

    beforeEach(async () => {
      fixture = await make();
      objects = fixture.objects;
    });
    afterEach(async () => {
      await objects.close();
      await fixture.cleanup();
    });

    describe('put and get', () => {
      it('stores Buffer, string and stream bodies and reads them back whole', async () => {
        await objects.put('inbox', 'a.bin', Buffer.from([0, 1, 2, 255]));
        await objects.put('inbox', 'b.txt', 'hello £ world');
        const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
        await objects.put('inbox', 'c/big.csv', chunkedStream([big.subarray(0, 1000), big.subarray(1000)]));

        expect(await objects.get('inbox', 'a.bin')).toEqual(Buffer.from([0, 1, 2, 255]));
        expect((await objects.get('inbox', 'b.txt')).toString('utf8')).toBe('hello £ world');
        expect((await objects.get('inbox', 'c/big.csv')).equals(big)).toBe(true);
        expect((await readAll(await objects.getStream('inbox', 'c/big.csv'))).equals(big)).toBe(true);
      });

      it('replaces an existing object, and the last put wins', async () => {
        await objects.put('exports', 'q.csv', 'first');
        await objects.put('exports', 'q.csv', 'second, longer body');
        await objects.put('exports', 'q.csv', 'third');
        expect((await objects.get('exports', 'q.csv')).toString()).toBe('third');
        expect((await objects.list('exports')).map((entry) => entry.key)).toEqual(['q.csv']);
      });

      it('stores an empty body', async () => {
        await objects.put('public', 'empty.txt', '');
        expect((await objects.get('public', 'empty.txt')).length).toBe(0);
        expect((await objects.head('public', 'empty.txt'))?.size).toBe(0);
      });

      it('reports a missing object as ObjectNotFoundError naming bucket and key', async () => {
        await expect(objects.get('inbox', 'missing.csv')).rejects.toThrow(ObjectNotFoundError);
        await expect(objects.get('inbox', 'missing.csv')).rejects.toThrow('inbox/missing.csv');
        await expect(objects.getStream('inbox', 'missing.csv')).rejects.toThrow(ObjectNotFoundError);
      });

      it('keeps buckets apart', async () => {
        await objects.put('inbox', 'same.csv', 'in inbox');
        await objects.put('failed', 'same.csv', 'in failed');
        expect((await objects.get('inbox', 'same.csv')).toString()).toBe('in inbox');
        expect((await objects.get('failed', 'same.csv')).toString()).toBe('in failed');
        expect(await objects.list('processed')).toEqual([]);
      });

      it('rejects an unknown bucket', async () => {
        await expect(objects.put('nope' as Bucket, 'a', 'x')).rejects.toThrow(UnknownBucketError);
        await expect(objects.list('nope' as Bucket)).rejects.toThrow(/buckets are inbox, processed/);
      });

      it('never shows a put that has not finished', async () => {
        const held = heldStream(Buffer.alloc(64 * 1024, 'a'), Buffer.alloc(64 * 1024, 'b'));
        const writing = objects.put('inbox', 'arriving.csv', held.stream);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await objects.head('inbox', 'arriving.csv')).toBeUndefined();
        expect(await objects.list('inbox')).toEqual([]);
        held.release();
        await writing;
        expect((await objects.head('inbox', 'arriving.csv'))?.size).toBe(128 * 1024);
      });
    });

    describe('concurrency', () => {
      it('concurrent puts of one key leave exactly one whole body, never a mix or a part', async () => {
        const size = 256 * 1024;
        const bodies = Array.from({ length: 12 }, (_, index) => Buffer.alloc(size, 65 + index));
        await Promise.all(bodies.map((body, index) =>
          objects.put('archive', 'hot/key.bin', index % 2 ? body : chunkedStream([body.subarray(0, 1000), body.subarray(1000)]))));
        const stored = await objects.get('archive', 'hot/key.bin');
        expect(stored.length).toBe(size);
        expect(bodies.some((body) => body.equals(stored))).toBe(true);
        expect((await objects.list('archive')).map((entry) => entry.key)).toEqual(['hot/key.bin']);
      });

      it('readers during concurrent puts see a whole old or new body', async () => {
        const size = 128 * 1024;
        const bodies = Array.from({ length: 8 }, (_, index) => Buffer.alloc(size, 97 + index));
        await objects.put('archive', 'r.bin', bodies[0]);
        const reads: Buffer[] = [];
        const writers = Promise.all(bodies.map((body) => objects.put('archive', 'r.bin', body)));
        for (let read = 0; read < 20; read += 1) reads.push(await objects.get('archive', 'r.bin'));
        await writers;
        for (const seen of reads) expect(bodies.some((body) => body.equals(seen))).toBe(true);
      });
    });

    describe('head and list', () => {
      it('head gives size and modification time', async () => {
        await objects.put('public', 'r.pdf', Buffer.alloc(1234));
        const head = await objects.head('public', 'r.pdf');
        expect(head?.size).toBe(1234);
        expect(head?.modified).toBeInstanceOf(Date);
        expect(Number.isNaN(head?.modified.getTime())).toBe(false);
        expect(await objects.head('public', 'other.pdf')).toBeUndefined();
      });

      it('lists recursively, sorted by key, with sizes, filtered by a string prefix', async () => {
        const keys = ['reports/2024-01-07_2024-01-14/Sales_Report.pdf', 'reports/2024-01-07_2024-01-14/sellers/s1.pdf',
          'reports/2023-12-31_2024-01-07/Sales_Report.pdf', 'lake/order/date=2024-01-01/part.csv', 'z.txt'];
        for (const [index, key] of keys.entries()) await objects.put('archive', key, 'x'.repeat(index + 1));

        const all = await objects.list('archive');
        expect(all.map((entry) => entry.key)).toEqual([...keys].sort());
        expect(all.find((entry) => entry.key === 'z.txt')?.size).toBe(5);
        expect((await objects.list('archive', 'reports/2024-')).map((entry) => entry.key))
          .toEqual(['reports/2024-01-07_2024-01-14/Sales_Report.pdf', 'reports/2024-01-07_2024-01-14/sellers/s1.pdf']);
        expect((await objects.list('archive', 'reports/2024-01-07_2024-01-14/')).length).toBe(2);
        expect((await objects.list('archive', 'rep')).length).toBe(3);
        expect(await objects.list('archive', 'nothing/here/')).toEqual([]);
      });

      it('sorts by UTF-8 bytes, as S3 does', async () => {
        // UTF-16 order (JavaScript's default sort) puts '😀' (a surrogate pair) before '\uff5e'; UTF-8 order does not.
        const keys = ['b', 'a', 'é', 'Z', '😀', '\uff5e', 'c/d'];
        for (const key of keys) await objects.put('exports', `sort/${key}`, key);
        const listed = (await objects.list('exports', 'sort/')).map((entry) => entry.key.slice('sort/'.length));
        expect(listed).toEqual(['Z', 'a', 'b', 'c/d', 'é', '\uff5e', '😀']);
      });
    });

    describe('copy, move, delete', () => {
      it('copies within and across buckets', async () => {
        await objects.put('archive', 'reports/w1/Sales_Report.pdf', 'pdf bytes');
        await objects.copy('archive', 'reports/w1/Sales_Report.pdf', 'public', 'Sales_Report.pdf');
        await objects.copy('archive', 'reports/w1/Sales_Report.pdf', 'archive', 'reports/latest.pdf');
        expect((await objects.get('public', 'Sales_Report.pdf')).toString()).toBe('pdf bytes');
        expect((await objects.get('archive', 'reports/latest.pdf')).toString()).toBe('pdf bytes');
        expect((await objects.get('archive', 'reports/w1/Sales_Report.pdf')).toString()).toBe('pdf bytes');
      });

      it('copy replaces an existing target', async () => {
        await objects.put('public', 'Sales_Report.pdf', 'old week');
        await objects.put('archive', 'new.pdf', 'new week');
        await objects.copy('archive', 'new.pdf', 'public', 'Sales_Report.pdf');
        expect((await objects.get('public', 'Sales_Report.pdf')).toString()).toBe('new week');
      });

      it('moves across buckets and folders, replacing the target', async () => {
        await objects.put('inbox', 'drop/online-retail.csv', 'rows');
        await objects.put('processed', '2024/online-retail.csv', 'older');
        await objects.move('inbox', 'drop/online-retail.csv', 'processed', '2024/online-retail.csv');
        expect(await objects.head('inbox', 'drop/online-retail.csv')).toBeUndefined();
        expect(await objects.list('inbox')).toEqual([]);
        expect((await objects.get('processed', '2024/online-retail.csv')).toString()).toBe('rows');
      });

      it('copy and move of a missing object fail with ObjectNotFoundError', async () => {
        await expect(objects.copy('inbox', 'gone.csv', 'failed', 'gone.csv')).rejects.toThrow(ObjectNotFoundError);
        await expect(objects.move('inbox', 'gone.csv', 'failed', 'gone.csv')).rejects.toThrow(ObjectNotFoundError);
        expect(await objects.head('failed', 'gone.csv')).toBeUndefined();
      });

      it('deletes, and deleting a missing object is not an error', async () => {
        await objects.put('exports', 'queries/q1.csv', 'a,b');
        await objects.delete('exports', 'queries/q1.csv');
        expect(await objects.head('exports', 'queries/q1.csv')).toBeUndefined();
        await expect(objects.delete('exports', 'queries/q1.csv')).resolves.toBeUndefined();
        expect(await objects.list('exports')).toEqual([]);
      });

      it('a key freed by deleting everything under it can be used as an object again', async () => {
        await objects.put('exports', 'queries/q1.csv', 'a,b');
        await objects.delete('exports', 'queries/q1.csv');
        await objects.put('exports', 'queries', 'now an object');
        expect((await objects.get('exports', 'queries')).toString()).toBe('now an object');
      });
    });

    describe('keys', () => {
      it.each(HOSTILE_KEYS)('rejects %j on every method, naming the key and the rule', async (key, rule) => {
        const attempts = [
          () => objects.put('inbox', key, 'x'),
          () => objects.get('inbox', key),
          () => objects.getStream('inbox', key),
          () => objects.head('inbox', key),
          () => objects.delete('inbox', key),
          () => objects.copy('inbox', key, 'failed', 'ok.csv'),
          () => objects.move('processed', 'ok.csv', 'inbox', key),
        ];
        await objects.put('processed', 'ok.csv', 'x');
        for (const attempt of attempts) {
          const error = await attempt().then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(ObjectKeyError);
          expect((error as ObjectKeyError).key).toBe(key);
          expect((error as ObjectKeyError).message).toMatch(rule);
          if (key.length < 100) expect((error as ObjectKeyError).message).toContain(JSON.stringify(key));
        }
        expect(await objects.list('inbox')).toEqual([]);
        expect((await objects.list('failed')).length).toBe(0);
        expect((await objects.get('processed', 'ok.csv')).toString()).toBe('x');
      });

      it('keeps unicode keys exactly', async () => {
        const keys = ['résumé/日本語 ✓.csv', 'ünïcødé/😀 report.txt', 'Ελληνικά/файл.json', 'spaces and (brackets) [1].csv'];
        for (const key of keys) await objects.put('inbox', key, `body of ${key}`);
        for (const key of keys) expect((await objects.get('inbox', key)).toString()).toBe(`body of ${key}`);
        expect((await objects.list('inbox')).map((entry) => entry.key).sort()).toEqual([...keys].sort());
        expect((await objects.list('inbox', 'ünïcødé/')).map((entry) => entry.key)).toEqual(['ünïcødé/😀 report.txt']);
      });

      it('accepts a key of exactly the byte limit', async () => {
        const segment = 'k'.repeat(200);
        const key = [segment, segment, segment, segment, segment, 'k'.repeat(19)].join('/');
        expect(Buffer.byteLength(key)).toBe(MAX_KEY_BYTES);
        await objects.put('archive', key, 'long');
        expect((await objects.get('archive', key)).toString()).toBe('long');
      });
    });
  });
}
