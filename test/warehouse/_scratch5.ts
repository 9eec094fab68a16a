import { DuckDBInstance, type DuckDBAppender } from '@duckdb/node-api';
import { loadOnlineRetailFacts } from './online-retail-facts.js';
const facts = await loadOnlineRetailFacts();
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run(`CREATE TABLE l1 (a VARCHAR, b VARCHAR, c VARCHAR, d VARCHAR, e VARCHAR, f VARCHAR)`);
await c.run(`CREATE TABLE l2 (a INTEGER, b INTEGER, c INTEGER, d INTEGER, e INTEGER, f INTEGER)`);
await c.run(`CREATE TABLE l3 (a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE, e DOUBLE, f DOUBLE)`);
const str = (a: DuckDBAppender, v: string | null) => v === null ? a.appendNull() : a.appendVarchar(v);
let t0 = performance.now();
let a = await c.createAppender('l1');
for (const f of facts) { str(a, f.product_id); str(a, f.product_name); str(a, f.kind); str(a, f.unit_price); str(a, f.amount); str(a, f.event_id); a.endRow(); }
a.closeSync();
console.log('6 varchar', performance.now() - t0);
t0 = performance.now();
a = await c.createAppender('l2');
for (const f of facts) { for (let i = 0; i < 6; i++) a.appendInteger(f.quantity); a.endRow(); }
a.closeSync();
console.log('6 int', performance.now() - t0);
t0 = performance.now();
a = await c.createAppender('l3');
for (const f of facts) { for (let i = 0; i < 6; i++) a.appendDouble(f.quantity); a.endRow(); }
a.closeSync();
console.log('6 double', performance.now() - t0);
t0 = performance.now();
let csv = '';
const q = (v: string | null) => v === null ? '' : (v.includes('"') || v.includes(',') || v.includes('\n')) ? `"${v.replaceAll('"', '""')}"` : v;
const parts: string[] = [];
for (const f of facts) parts.push(`${q(f.event_id)},${q(f.order_id)},${f.line_no},${f.ts},${f.day},${q(f.customer_id)},${q(f.country)},${q(f.seller_id)},${q(f.product_id)},${q(f.product_name)},${q(f.category)},${f.kind},${f.cancellation},${f.quantity},${f.unit_price},${f.amount},${f.currency}\n`);
csv = parts.join('');
const fs = await import('node:fs');
fs.writeFileSync('/tmp/scratch.csv', csv);
console.log('csv build+write', performance.now() - t0, csv.length);
t0 = performance.now();
await c.run(`CREATE TABLE ol AS SELECT * FROM read_csv('/tmp/scratch.csv', header=false, columns={'event_id':'VARCHAR','order_id':'VARCHAR','line_no':'INTEGER','ts':'TIMESTAMP','day':'DATE','customer_id':'VARCHAR','country':'VARCHAR','seller_id':'VARCHAR','product_id':'VARCHAR','product_name':'VARCHAR','category':'VARCHAR','kind':'VARCHAR','cancellation':'BOOLEAN','quantity':'INTEGER','unit_price':'DECIMAL(18,4)','amount':'DECIMAL(18,4)','currency':'VARCHAR'}, quote='"', escape='"')`);
console.log('read_csv', performance.now() - t0);
const r = await c.runAndReadAll(`SELECT count(*) n, count(DISTINCT order_id) orders, ROUND(SUM(amount),2)::DOUBLE rev FROM ol`);
console.log(r.getRowObjectsJson());
