import { DuckDBInstance } from '@duckdb/node-api';
import { loadOnlineRetailFacts } from './online-retail-facts.js';
const facts = await loadOnlineRetailFacts();
const inst = await DuckDBInstance.create('/tmp/scratch-wh.duckdb');
const c = await inst.connect();
await c.run(`CREATE OR REPLACE TABLE stage (event_id VARCHAR, order_id VARCHAR, line_no INTEGER, ts_ms DOUBLE, day VARCHAR, customer_id VARCHAR, country VARCHAR, seller_id VARCHAR, product_id VARCHAR, product_name VARCHAR, category VARCHAR, kind VARCHAR, cancellation BOOLEAN, quantity INTEGER, unit_price VARCHAR, amount VARCHAR, currency VARCHAR)`);
const str = (a: import('@duckdb/node-api').DuckDBAppender, v: string | null) => v === null ? a.appendNull() : a.appendVarchar(v);
let t0 = performance.now();
await c.run('BEGIN');
const a = await c.createAppender('stage');
for (const f of facts) {
  str(a, f.event_id); str(a, f.order_id); a.appendInteger(f.line_no); a.appendDouble(Date.parse(f.ts)); str(a, f.day);
  str(a, f.customer_id); str(a, f.country); str(a, f.seller_id); str(a, f.product_id); str(a, f.product_name); str(a, f.category);
  str(a, f.kind); a.appendBoolean(f.cancellation); a.appendInteger(f.quantity); str(a, f.unit_price); str(a, f.amount); str(a, f.currency);
  a.endRow();
}
a.closeSync();
console.log('appender', performance.now() - t0);
t0 = performance.now();
await c.run(`CREATE OR REPLACE TABLE ol AS SELECT event_id, order_id, line_no, epoch_ms(ts_ms::BIGINT) ts, day::DATE day, customer_id, country, seller_id, product_id, product_name, category, kind, cancellation, quantity, unit_price::DECIMAL(18,4) unit_price, amount::DECIMAL(18,4) amount, currency FROM stage`);
await c.run('COMMIT');
console.log('convert', performance.now() - t0);
const r = await c.runAndReadAll(`SELECT count(DISTINCT order_id) orders, ROUND(SUM(amount),2)::DOUBLE rev FROM ol`);
console.log(r.getRowObjectsJson());
