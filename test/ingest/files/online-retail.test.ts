import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportChunk, readEventFile } from '../../../src/ingest/files/index.js';
import { readOnlineRetail } from '../../../src/ingest/files/online-retail.js';
import { surveyRetailFile } from '../../../src/ingest/files/online-retail-survey.js';
import { OPTIONS, expectCanonical, fixture, gzippedCopy, orders, readWhole, tempDir } from './helpers.js';

describe('online-retail CSV', () => {
  it('groups rows by invoice into orders with content ids, in file order', async () => {
    const { events, problems } = await readWhole(fixture('retail-quirks.csv'));
    expect(problems).toEqual([]);
    const all = orders(events);
    expect(all.map((order) => order.id)).toEqual([
      'retail:536365', 'retail:536366', 'retail:C536379', 'retail:536380', 'retail:536381', 'retail:A563186', 'retail:536382', 'retail:536383',
    ]);
    const first = all[0];
    expect(first).toMatchObject({ type: 'order', order_id: '536365', source: 'import', currency: 'GBP', cancellation: false, customer_id: '17850', country: 'United Kingdom', ts: '2010-12-01T08:26:00.000Z' });
    expect(first.lines.map((line) => [line.product_id, line.quantity, line.unit_price, line.kind])).toEqual([
      ['85123A', 6, '2.55', 'product'], ['71053', 6, '3.39', 'product'],
    ]);
    expectCanonical(events);
  });

  it('reads both date forms in the shop time zone', async () => {
    const utc = orders((await readWhole(fixture('retail-quirks.csv'))).events);
    expect(utc.find((order) => order.order_id === '536366')?.ts).toBe('2010-12-01T08:28:00.000Z');
    const auckland = orders((await readWhole(fixture('retail-quirks.csv'), { timeZone: 'Pacific/Auckland' })).events);
    expect(auckland[0].ts).toBe('2010-11-30T19:26:00.000Z'); // 08:26 in NZDT (+13:00)
    expect(auckland.find((order) => order.order_id === '536366')?.ts).toBe('2010-11-30T19:28:00.000Z');
  });

  it('keeps quoted delimiters and doubled quotes in descriptions', async () => {
    const order = orders((await readWhole(fixture('retail-quirks.csv'))).events).find((event) => event.order_id === '536366');
    expect(order?.lines.map((line) => line.description)).toEqual(['HAND WARMER UNION JACK, RED', 'RECORD FRAME 7" SINGLE SIZE ']);
  });

  it('marks C invoices as cancellations and keeps negative quantities without C', async () => {
    const all = orders((await readWhole(fixture('retail-quirks.csv'))).events);
    const cancellation = all.find((order) => order.order_id === 'C536379');
    expect(cancellation?.cancellation).toBe(true);
    expect(cancellation?.lines.map((line) => line.quantity)).toEqual([-1, -12]);
    const returned = all.find((order) => order.order_id === '536381');
    expect(returned?.cancellation).toBe(false);
    expect(returned?.lines[0].quantity).toBe(-2);
  });

  it('normalizes CustomerID 17850.0, leaves an empty one out, and takes Country', async () => {
    const all = orders((await readWhole(fixture('retail-quirks.csv'))).events);
    expect(all.find((order) => order.order_id === '536380')).toMatchObject({ customer_id: '12583', country: 'France' });
    const anonymous = all.find((order) => order.order_id === '536381');
    expect(anonymous && 'customer_id' in anonymous).toBe(false);
    expect(anonymous?.lines[1]).toEqual({ product_id: '21166', quantity: 1, unit_price: '0.00', kind: 'product' }); // empty description left out
  });

  it('classifies fees and adjustments, and allows a negative price only on adjustments', async () => {
    const all = orders((await readWhole(fixture('retail-quirks.csv'))).events);
    const kinds = Object.fromEntries(all.flatMap((order) => order.lines.map((line) => [line.product_id, line.kind])));
    expect(kinds).toMatchObject({
      POST: 'fee', 'BANK CHARGES': 'fee', AMAZONFEE: 'fee', D: 'adjustment', B: 'adjustment', m: 'adjustment',
      DCGS0003: 'adjustment', gift_0001_40: 'adjustment', '85123A': 'product',
    });
    expect(all.find((order) => order.order_id === 'A563186')?.lines[0].unit_price).toBe('-11062.06');
  });

  it('keeps hostile text verbatim as data', async () => {
    const order = orders((await readWhole(fixture('retail-quirks.csv'))).events).find((event) => event.order_id === '536382');
    expect(order?.lines[0]).toMatchObject({ product_id: "'; DROP TABLE orders;--", description: '<script>alert("x")</script>' });
    expect(order?.country).toBe("Robert'); DROP TABLE customers;--");
  });

  it('reports each bad row with its line, column and reason, and loads the rest of the invoice', async () => {
    const { events, problems } = await readWhole(fixture('retail-bad-rows.csv'));
    expect(problems.map((problem) => [problem.line, problem.field])).toEqual([
      [3, 'Description'], [4, 'UnitPrice'], [5, 'Quantity'], [6, 'Quantity'], [7, 'InvoiceDate'], [8, 'UnitPrice'], [9, 'UnitPrice'],
    ]);
    expect(problems[0].reason).toMatch(/quote/);
    expect(problems[1].reason).toMatch(/missing: the row has 5 fields/);
    expect(problems[2].reason).toBe('"abc" is not an integer');
    expect(problems[3].reason).toMatch(/is 0/);
    expect(problems[6].reason).toMatch(/negative/);
    expect(problems.every((problem) => problem.file === 'fixture' && problem.excerpt?.startsWith('540001,'))).toBe(true);
    const all = orders(events);
    expect(all.map((order) => [order.order_id, order.lines.map((line) => line.product_id)])).toEqual([
      ['540001', ['22086', '22094']], ['540002', ['22095']],
    ]);
    expectCanonical(events);
  });

  it('reports a missing required header column once, on line 1, with no events', async () => {
    const { events, problems } = await readWhole(fixture('retail-missing-column.csv'));
    expect(events).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 1, field: 'UnitPrice' });
    expect(problems[0].reason).toMatch(/no UnitPrice column/);
  });

  it('reads ; delimiters, CRLF line ends and decimal commas', async () => {
    const { events, problems } = await readWhole(fixture('retail-semicolon-crlf.csv'));
    expect(problems).toEqual([]);
    const [order] = orders(events);
    expect(order.lines.map((line) => [line.description, line.unit_price])).toEqual([
      ['REGENCY CAKESTAND; 3 TIER', '12.75'], ['ASSORTED COLOUR BIRD ORNAMENT', '1.69'],
    ]);
    expect(order.country).toBe('Iceland');
    expect(order.ts).toBe('2011-06-01T09:00:00.000Z');
  });

  it('decodes ISO-8859-1 files (£) and UTF-8 files alike', async () => {
    const latin = orders((await readWhole(fixture('retail-iso-8859-1.csv'))).events);
    expect(latin[0].lines.map((line) => line.description)).toEqual(['Dotcomgiftshop Gift Voucher £20.00', 'CRÈME BRÛLÉE DISH']);
    const utf8 = orders((await readWhole(fixture('retail-quirks.csv'))).events);
    expect(utf8.at(-1)?.lines[1].description).toBe('Dotcomgiftshop Gift Voucher £40.00');
  });

  it('reads a gzipped file whatever its name', async () => {
    const plain = await readWhole(fixture('retail-quirks.csv'));
    const gzipped = await readWhole(await gzippedCopy(fixture('retail-quirks.csv'), 'upload.csv'));
    expect(gzipped.events).toEqual(plain.events);
    expect(gzipped.chunks.at(-1)?.totalBytes).toBeLessThan(plain.chunks.at(-1)?.totalBytes ?? 0);
  });

  it('emits an invoice split across the file once, with all its good rows in file order', async () => {
    for (const chunkEvents of [1, 1000]) {
      const { events, problems } = await readWhole(fixture('retail-split-invoice.csv'), { chunkEvents });
      expect(problems.map((problem) => [problem.line, problem.field])).toEqual([[8, 'Quantity']]);
      const all = orders(events);
      expect(all.map((order) => order.order_id).sort()).toEqual(['542806', '542807', '542808', '542809', 'C542805']);
      const split = all.find((order) => order.order_id === '542806');
      expect(split?.lines.map((line) => line.product_id)).toEqual(['48194', '21524', '22692', '22511']);
      expect(split?.ts).toBe('2011-02-01T11:19:00.000Z');
    }
  });

  it('hands out chunks of about chunkEvents with running totals', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'many.csv');
    const rows = Array.from({ length: 2500 }, (_, index) => `${600000 + index},22423,CAKESTAND,1,2011-06-01 09:00:00,12.75,,Iceland`);
    await writeFile(file, `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n${rows.join('\n')}\n`);
    const chunks = [];
    for await (const chunk of readEventFile(file, { ...OPTIONS, chunkEvents: 1000 })) chunks.push(chunk);
    expect(chunks.reduce((total, chunk) => total + chunk.events.length, 0)).toBe(2500);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.at(-1)).toMatchObject({ rowsRead: 2500 });
    expect(chunks.at(-1)?.bytesRead).toBe(chunks.at(-1)?.totalBytes);
    const rowsRead = chunks.map((chunk) => chunk.rowsRead);
    expect(rowsRead).toEqual([...rowsRead].sort((a, b) => a - b));
  });
});

describe('online-retail CSV, second pass from the first pass\'s kept content', () => {
  const readWith = async (file: string, survey: Awaited<ReturnType<typeof surveyRetailFile>>) => {
    const chunks: ImportChunk[] = [];
    for await (const chunk of readOnlineRetail(file, { ...OPTIONS, chunkEvents: 2 }, survey)) chunks.push(chunk);
    return chunks;
  };

  it('reads the same chunks, problems and progress as from the file, which a file above the bound is read from again', async () => {
    for (const name of ['retail-quirks.csv', 'retail-bad-rows.csv', 'retail-split-invoice.csv', 'retail-iso-8859-1.csv']) {
      const file = await gzippedCopy(fixture(name), `${name}.gz`);
      const kept = await surveyRetailFile(file);
      const notKept = await surveyRetailFile(file, 10);
      expect(kept.content?.length, name).toBeGreaterThan(0);
      expect(notKept.content, name).toBeUndefined();
      const fromMemory = await readWith(file, kept);
      const fromFile = await readWith(file, notKept);
      expect(fromMemory, name).toEqual(fromFile);
      expect(fromMemory.at(-1)?.bytesRead, name).toBe(fromMemory.at(-1)?.totalBytes);
    }
  });
});
