import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { streamOnlineRetail } from '../../src/demo/online-retail-stream.js';
import { WRITE_KEY, startIngestServer } from './ingest-server.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ONLINE_RETAIL = path.resolve(REPO_ROOT, '../shared/data/online-retail.csv.gz');

const SMALL_CSV = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
  '536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom',
  'C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527.0,United Kingdom',
  '',
].join('\n');

describe('streamOnlineRetail', () => {
  it('streams each invoice once as an order with its import id, and a replay adds nothing', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'storepulse-retail-stream-'));
    const file = path.join(folder, 'small.csv');
    await fs.writeFile(file, SMALL_CSV);
    const ingest = await startIngestServer();
    const first = await streamOnlineRetail({ url: ingest.url, writeKey: WRITE_KEY, rate: 1000, file });
    expect(first).toMatchObject({ sent: 3, accepted: 3, duplicates: 0, rejected: 0, errors: 0, rowProblems: 0 });
    const events = ingest.requests.flatMap((request) => request.events);
    expect(events.map((event) => event.id)).toEqual(['retail:536365', 'retail:536366', 'retail:C536379']);
    expect(events[0]).toMatchObject({ type: 'order', order_id: '536365', ts: '2010-12-01T08:26:00.000Z', customer_id: '17850', source: 'retail-stream' });
    expect((events[0].lines as unknown[]).length).toBe(2);
    expect(events[2]).toMatchObject({ cancellation: true });
    const again = await streamOnlineRetail({ url: ingest.url, writeKey: WRITE_KEY, rate: 1000, file });
    expect(again).toMatchObject({ sent: 3, accepted: 0, duplicates: 3 });
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('streams the real dataset validly, stopping after maxEvents', async () => {
    const ingest = await startIngestServer();
    const result = await streamOnlineRetail({ url: ingest.url, writeKey: WRITE_KEY, rate: 10_000, maxEvents: 300, batchSize: 100, file: ONLINE_RETAIL });
    expect(result).toMatchObject({ sent: 300, accepted: 300, rejected: 0, errors: 0 });
    const ids = ingest.requests.flatMap((request) => request.ids);
    expect(ids[0]).toBe('retail:536365');
    expect(new Set(ids).size).toBe(300);
  });
});
