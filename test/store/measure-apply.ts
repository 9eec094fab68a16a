/**
 * Prints how fast the SQLite store applies the whole online-retail file through applyEvents, in
 * batches of 1000 orders (as the consumer does), and how long a full replay of it (all skipped) takes.
 * Run: node --import tsx test/store/measure-apply.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { loadOnlineRetailOrders } from './online-retail-orders.js';

const BATCH = 1000;
const orders = loadOnlineRetailOrders();
const lines = orders.reduce((sum, order) => sum + order.lines.length, 0);
const dir = await mkdtemp(path.join(os.tmpdir(), 'storepulse-store-bench-'));
const store = openSqliteStore({ file: path.join(dir, 'store.sqlite') });

/** Wall time, and CPU time of this process (less disturbed when other work shares the cores). */
async function applyAll(): Promise<{ seconds: number; cpuSeconds: number; applied: number }> {
  let applied = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let start = 0; start < orders.length; start += BATCH) {
    applied += (await store.applyEvents(orders.slice(start, start + BATCH))).applied.length;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6, applied };
}

const first = await applyAll();
console.log(`applyEvents: ${orders.length} orders, ${lines} lines in ${first.seconds.toFixed(2)} s (CPU ${first.cpuSeconds.toFixed(2)} s) ` +
  `(${Math.round(orders.length / first.seconds)} orders/s, ${Math.round(lines / first.seconds)} lines/s, applied ${first.applied})`);
const replay = await applyAll();
console.log(`replay of the same events: ${replay.seconds.toFixed(2)} s, applied ${replay.applied}`);
await store.close();
await rm(dir, { recursive: true, force: true });
