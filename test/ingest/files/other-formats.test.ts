import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_TIMESTAMP, detectFormat, readEventFile } from '../../../src/ingest/files/index.js';
import { OPTIONS, expectCanonical, fixture, gzippedCopy, orders, readWhole, realData, tempDir } from './helpers.js';

describe('detectFormat', () => {
  it('recognizes each format by content, not by name, gzipped or not', async () => {
    const dir = await tempDir();
    const renamed = path.join(dir, 'sales.csv');
    await copyFile(realData('diskover_sales.json'), renamed);
    expect(await detectFormat(renamed)).toBe('diskovery-sales-json');
    expect(await detectFormat(fixture('retail-quirks.csv'))).toBe('online-retail-csv');
    expect(await detectFormat(fixture('retail-semicolon-crlf.csv'))).toBe('online-retail-csv');
    expect(await detectFormat(fixture('retail-missing-column.csv'))).toBe('online-retail-csv');
    expect(await detectFormat(realData('diskover_disks.csv'))).toBe('diskovery-products-csv');
    expect(await detectFormat(fixture('events.ndjson'))).toBe('ndjson');
    expect(await detectFormat(realData('online-retail.csv.gz'))).toBe('online-retail-csv');
    expect(await detectFormat(await gzippedCopy(fixture('events.ndjson'), 'events.json'))).toBe('ndjson');
  });

  it('throws an error naming the file when the format is unknown', async () => {
    const dir = await tempDir();
    const unknown = path.join(dir, 'orders.csv');
    await writeFile(unknown, 'date,amount\n2011-01-01,5\n');
    await expect(detectFormat(unknown)).rejects.toThrow(/orders\.csv is not a known import format.*date,amount/);
    const empty = path.join(dir, 'empty.csv');
    await writeFile(empty, '');
    await expect(detectFormat(empty)).rejects.toThrow(/empty\.csv is empty/);
    const otherArray = path.join(dir, 'array.json');
    await writeFile(otherArray, '[{"type":"order"}]');
    await expect(detectFormat(otherArray)).rejects.toThrow(/array\.json is a JSON array but not of Diskovery sales/);
    await expect(readEventFile(unknown, OPTIONS).next()).rejects.toThrow(/orders\.csv/);
  });
});

describe('Diskovery sales JSON', () => {
  it('imports the real file: one order per record, ids from order and date, naive dates in the shop zone', async () => {
    const { events, problems } = await readWhole(realData('diskover_sales.json'), { timeZone: 'Europe/Berlin', currency: 'EUR' });
    expect(problems).toEqual([]);
    const all = orders(events);
    expect(all).toHaveLength(20);
    expect(all[0]).toMatchObject({
      id: 'diskovery:O041:2023-12-24 17:43:29.047346', order_id: 'O041', source: 'import', currency: 'EUR',
      ts: '2023-12-24T16:43:29.047Z', lines: [{ product_id: 'D010', quantity: 8, unit_price: '23.00', kind: 'product' }],
    });
    expect(new Set(all.map((order) => order.id)).size).toBe(20);
    expectCanonical(events);
  });

  it('reports wrong revenue, missing fields, bad dates and repeats with the record index and its line', async () => {
    const { events, problems } = await readWhole(fixture('diskovery-sales-problems.json'));
    expect(orders(events).map((order) => [order.order_id, order.lines[0].unit_price])).toEqual([['O041', '23.00'], ['O043', '19.99']]);
    expect(problems.map((problem) => [problem.line, problem.field])).toEqual([
      [10, 'revenue'], [19, 'product_id'], [20, 'date'], [21, 'date'],
    ]);
    expect(problems[0].reason).toBe('record 1: is 400.00 but quantity × price is 4 × 105.00');
    expect(problems[1].reason).toBe('record 3: is missing');
    expect(problems[3].reason).toMatch(/record 5: repeats record 0/);
  });

  it('reports a file that is not JSON once, at the line of the error', async () => {
    const file = path.join(await tempDir(), 'broken.json');
    await writeFile(file, '[\n  {"order_id": "O1",\n  oops\n]');
    const { events, problems } = await readWhole(file);
    expect(events).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, field: '(file)' });
  });
});

describe('Diskovery products CSV', () => {
  it('imports the real catalog: one product per row with category, brand and details', async () => {
    const { events, problems } = await readWhole(realData('diskover_disks.csv'));
    expect(problems).toEqual([]);
    expect(events).toHaveLength(15);
    expect(events[0]).toEqual({
      id: expect.stringMatching(/^diskovery-product:D031:[0-9a-f]{16}$/), ts: CATALOG_TIMESTAMP, source: 'import', type: 'product', product_id: 'D031',
      name: 'WD Blue 1TB HDD', price: '40.00', currency: 'GBP', category: 'HDD', brand: 'Western Digital', kind: 'product',
      details: {
        type: 'HDD', storage: 1, storage_unit: 'TB', manufacturer: 'Western Digital', read_speed: 7200, read_speed_unit: 'rpm',
        write_speed: 7200, write_speed_unit: 'rpm', size: 3.5, size_unit: 'inches',
      },
    });
    expect(events.find((event) => event.type === 'product' && event.product_id === 'D326')).toMatchObject({ category: 'NVMe', details: { size: 'M.2', size_unit: '-' } });
    expectCanonical(events);
    const again = await readWhole(realData('diskover_disks.csv'));
    expect(again.events).toEqual(events); // idempotent re-import: nothing depends on when it ran
  });

  it('reports a row with a bad price or shifted columns and keeps the others', async () => {
    const file = path.join(await tempDir(), 'disks.csv');
    await writeFile(file, '_id,name,price,type,manufacturer\nD1,Good,40,HDD,WD\nD2,Bad price,forty,HDD,WD\nD3,Shifted,40,HDD,WD,extra\n');
    const { events, problems } = await readWhole(file);
    expect(events.map((event) => event.id)).toEqual([expect.stringMatching(/^diskovery-product:D1:/)]);
    expect(problems.map((problem) => [problem.line, problem.field])).toEqual([[3, 'price'], [4, '(row)']]);
  });
});

describe('NDJSON', () => {
  it('checks each line like POST /v1/events, skips blank lines, and reports bad lines by number', async () => {
    const { events, problems, chunks } = await readWhole(fixture('events.ndjson'));
    expect(events.map((event) => [event.id.startsWith('ev_') ? 'generated' : event.id, event.type, event.source])).toEqual([
      ['nd-1', 'order', 'import'], ['generated', 'product_view', 'storefront'], ['nd-5', 'restock', 'import'],
    ]);
    expect(problems.map((problem) => [problem.line, problem.field])).toEqual([[4, 'lines.0.quantity'], [5, '(line)']]);
    expect(problems[1].reason).toMatch(/not valid JSON/);
    expect(chunks.at(-1)?.rowsRead).toBe(5);
    expectCanonical(events);
  });

  it('takes events beyond the HTTP per-event size limit', async () => {
    const lines = Array.from({ length: 5000 }, (_, index) => ({ product_id: `P${index}`, description: 'x'.repeat(80), quantity: 1, unit_price: '1.00' }));
    const file = path.join(await tempDir(), 'big.ndjson');
    const event = JSON.stringify({ id: 'big', type: 'order', ts: '2011-01-01T00:00:00Z', order_id: 'big', currency: 'GBP', lines });
    expect(event.length).toBeGreaterThan(256 * 1024);
    await writeFile(file, `${event}\n`);
    const { events, problems } = await readWhole(file);
    expect(problems).toEqual([]);
    expect(orders(events)[0].lines).toHaveLength(5000);
  });
});
