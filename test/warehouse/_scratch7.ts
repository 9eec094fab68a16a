import { DuckDBInstance, type DuckDBAppender } from '@duckdb/node-api';
import { loadOnlineRetailFacts } from './online-retail-facts.js';
const facts = await loadOnlineRetailFacts();
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const str = (a: DuckDBAppender, v: string | null) => v === null ? a.appendNull() : a.appendVarchar(v);
await c.run(`CREATE TABLE stage (event_id VARCHAR, order_id VARCHAR, line_no INTEGER, ts_ms DOUBLE, day VARCHAR, customer_id VARCHAR, country VARCHAR, seller_id VARCHAR, product_id VARCHAR, product_name VARCHAR, category VARCHAR, kind VARCHAR, cancellation BOOLEAN, quantity INTEGER, unit_price VARCHAR, amount VARCHAR, currency VARCHAR)`);
await c.run(`CREATE TABLE h (idx INTEGER, event_id VARCHAR, order_id VARCHAR, ts_ms DOUBLE, day VARCHAR, customer_id VARCHAR, country VARCHAR, seller_id VARCHAR, cancellation BOOLEAN, currency VARCHAR)`);
await c.run(`CREATE TABLE l (idx INTEGER, line_no INTEGER, product_id VARCHAR, product_name VARCHAR, category VARCHAR, kind UTINYINT, quantity INTEGER, unit_price VARCHAR, amount VARCHAR)`);
const kinds: Record<string, number> = { product: 0, fee: 1, adjustment: 2 };
for (let run = 0; run < 3; run++) {
  await c.run('DELETE FROM stage; DELETE FROM h; DELETE FROM l');
  let t0 = performance.now();
  let a = await c.createAppender('stage');
  for (const f of facts) {
    str(a, f.event_id); str(a, f.order_id); a.appendInteger(f.line_no); a.appendDouble(Date.parse(f.ts)); str(a, f.day);
    str(a, f.customer_id); str(a, f.country); str(a, f.seller_id); str(a, f.product_id); str(a, f.product_name); str(a, f.category);
    str(a, f.kind); a.appendBoolean(f.cancellation); a.appendInteger(f.quantity); str(a, f.unit_price); str(a, f.amount); str(a, f.currency);
    a.endRow();
  }
  a.closeSync();
  const t1 = performance.now();
  const ha = await c.createAppender('h');
  const la = await c.createAppender('l');
  let prev: typeof facts[number] | undefined; let idx = -1;
  for (const f of facts) {
    if (!prev || prev.event_id !== f.event_id || prev.ts !== f.ts || prev.customer_id !== f.customer_id || prev.country !== f.country || prev.seller_id !== f.seller_id || prev.cancellation !== f.cancellation || prev.currency !== f.currency || prev.order_id !== f.order_id || prev.day !== f.day) {
      idx++; prev = f;
      ha.appendInteger(idx); str(ha, f.event_id); str(ha, f.order_id); ha.appendDouble(Date.parse(f.ts)); str(ha, f.day); str(ha, f.customer_id); str(ha, f.country); str(ha, f.seller_id); ha.appendBoolean(f.cancellation); str(ha, f.currency); ha.endRow();
    }
    la.appendInteger(idx); la.appendInteger(f.line_no); str(la, f.product_id); str(la, f.product_name); str(la, f.category); la.appendUTinyInt(kinds[f.kind]); la.appendInteger(f.quantity); str(la, f.unit_price); str(la, f.amount); la.endRow();
  }
  ha.closeSync(); la.closeSync();
  console.log('flat', t1 - t0, 'split', performance.now() - t1, idx);
}
