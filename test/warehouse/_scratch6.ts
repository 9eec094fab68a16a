import { DuckDBInstance } from '@duckdb/node-api';
import { loadOnlineRetailFacts } from './online-retail-facts.js';
const facts = await loadOnlineRetailFacts();
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run(`CREATE TABLE ol (event_id VARCHAR, order_id VARCHAR, line_no INTEGER, ts TIMESTAMP, day DATE, customer_id VARCHAR, country VARCHAR, seller_id VARCHAR, product_id VARCHAR, product_name VARCHAR, category VARCHAR, kind VARCHAR, cancellation BOOLEAN, quantity INTEGER, unit_price DECIMAL(18,4), amount DECIMAL(18,4), currency VARCHAR)`);
for (let run = 0; run < 3; run++) {
let t0 = performance.now();
const S = '\u001f';
const col = (get: (f: typeof facts[number]) => string | number | boolean | null) => facts.map((f) => { const v = get(f); return v === null ? '' : String(v); }).join(S);
const cols = [col((f) => f.event_id), col((f) => f.order_id), col((f) => f.line_no), col((f) => Date.parse(f.ts)), col((f) => f.day), col((f) => f.customer_id), col((f) => f.country), col((f) => f.seller_id), col((f) => f.product_id), col((f) => f.product_name), col((f) => f.category), col((f) => f.kind), col((f) => f.cancellation ? 1 : 0), col((f) => f.quantity), col((f) => f.unit_price), col((f) => f.amount), col((f) => f.currency)];
const t1 = performance.now();
const names = ['event_id','order_id','line_no','ts','day','customer_id','country','seller_id','product_id','product_name','category','kind','cancellation','quantity','unit_price','amount','currency'];
const sel = names.map((n, i) => `unnest(string_split($${i + 1}, chr(31))) AS ${n}`).join(', ');
const p = await c.prepare(`INSERT INTO ol SELECT event_id, order_id, line_no::INTEGER, epoch_ms(ts::BIGINT), day::DATE, NULLIF(customer_id,''), NULLIF(country,''), NULLIF(seller_id,''), product_id, NULLIF(product_name,''), NULLIF(category,''), kind, cancellation::INTEGER::BOOLEAN, quantity::INTEGER, unit_price::DECIMAL(18,4), amount::DECIMAL(18,4), currency FROM (SELECT ${sel})`);
cols.forEach((v, i) => p.bindVarchar(i + 1, v));
await p.run();
console.log('build', t1 - t0, 'insert', performance.now() - t1);
}
const r = await c.runAndReadAll(`SELECT count(*) n, count(DISTINCT order_id) orders, ROUND(SUM(amount),2)::DOUBLE rev, min(ts)::VARCHAR, max(day)::VARCHAR FROM ol`);
console.log(r.getRowObjectsJson());
