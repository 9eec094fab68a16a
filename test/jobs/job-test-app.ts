/** Shared by the inbox, attention, lake and retention tests: events through the real pipeline, a job context. */
import { DuckDBInstance } from '@duckdb/node-api';
import type { App } from '../../src/app.js';
import type { JobContext } from '../../src/jobs/job.js';

export async function feed(app: App, events: object[]): Promise<void> {
  const outcome = await app.pipeline.processRaw(events, 'test');
  if (outcome.deadLettered > 0) throw new Error(`${outcome.deadLettered} test events were dead-lettered`);
}

export function contextAt(app: App, at: Date | string): JobContext {
  return { at: new Date(at), signal: new AbortController().signal, logger: app.logger };
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${(sequence += 1)}`;

export function saleEvent(ts: string, lines: { product_id: string; quantity: number; unit_price: string }[], orderId = nextId('order')) {
  return { id: orderId, type: 'order', ts, order_id: orderId, customer_id: 'C1', country: 'France', currency: 'GBP', lines };
}

export function viewEvent(productId: string, ts: string) {
  return { id: nextId('view'), type: 'product_view', ts, product_id: productId, session_id: 'S1' };
}

export function productEvent(productId: string, name = `Product ${productId}`) {
  return { id: `product-${productId}`, type: 'product', ts: '2011-01-01T00:00:00Z', product_id: productId, name, price: '1.00', currency: 'GBP', kind: 'product' };
}

/** Totals over a period, from the warehouse's KPI catalog. */
export async function totals(app: App, from: string, to: string) {
  const result = await app.warehouse.runKpi('totals', { fromMs: Date.parse(from), toMs: Date.parse(to), limit: 10 });
  return result.rows[0];
}

/** Reads files as a user would: a fresh DuckDB, read_parquet / read_csv. */
export async function readBack(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
