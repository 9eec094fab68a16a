import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import-files.js';
import { openTestApp, type TestApp } from '../helpers/app.js';

/** An online-retail CSV of `invoices` two-line invoices. */
function retailCsv(file: string, invoices: number): void {
  const rows = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  for (let invoice = 0; invoice < invoices; invoice++) {
    const date = `12/${1 + (invoice % 28)}/2010 08:26`;
    rows.push(`${536365 + invoice},85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,${date},2.55,17850,United Kingdom`);
    rows.push(`${536365 + invoice},71053,WHITE METAL LANTERN,6,${date},3.39,17850,United Kingdom`);
  }
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
}

describe('importFile', () => {
  let test: TestApp | undefined;
  afterEach(async () => { await test?.close(); });

  it('lets the event loop turn after every chunk, so a server importing a file goes on answering', async () => {
    test = await openTestApp();
    const file = path.join(test.dataDir, 'retail.csv');
    retailCsv(file, 60_000); // ~8 MiB: the reader sends a chunk per MiB it decodes
    let chunks = 0;
    let chunksWithoutTurn = 0;
    let turned = true;
    const summary = await importFile(test.app, file, {
      chunkEvents: 1000,
      onProgress: () => {
        chunks += 1;
        if (!turned) chunksWithoutTurn += 1;
        turned = false;
        setImmediate(() => { turned = true; });
      },
    });
    expect(summary).toMatchObject({ rows: 120_000, orders: 60_000, failedRows: 0 });
    expect(chunks).toBeGreaterThanOrEqual(8);
    expect(chunksWithoutTurn).toBe(0);
  });
});
