/**
 * Prints how fast the SQLite store applies the whole online-retail file through applyEvents, in
 * batches of 1000 orders (as the consumer does), and how long a full replay of it (all skipped) takes.
 * Each round starts from an empty store; the best round is the figure least disturbed by other work.
 * BENCH_COLD=1 applies them as orders outside the hot window (as a 2011 file is imported): no order rows.
 * Run: node --import tsx bench/store-apply.ts [rounds]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/port.js';
import { loadOnlineRetailOrders } from '../test/store/online-retail-orders.js';

const BATCH = 1000;
const ROUNDS = Number(process.argv[2] ?? 3);
const orders = loadOnlineRetailOrders();
const lines = orders.reduce((sum, order) => sum + order.lines.length, 0);
const applyOptions = process.env.BENCH_COLD ? { hotFrom: '2099-01-01T00:00:00.000Z' } : undefined;

/** Wall time, and CPU time of this process (less disturbed when other work shares the cores). */
async function applyAll(store: Store): Promise<{ seconds: number; cpuSeconds: number; applied: number }> {
  let applied = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let start = 0; start < orders.length; start += BATCH) {
    applied += (await store.applyEvents(orders.slice(start, start + BATCH), applyOptions)).applied.length;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6, applied };
}

for (let round = 1; round <= ROUNDS; round += 1) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'storepulse-store-bench-'));
  const store = openSqliteStore({ file: path.join(dir, 'store.sqlite') });
  try {
    const first = await applyAll(store);
    const replay = await applyAll(store);
    console.log(`round ${round}: ${orders.length} orders, ${lines} lines in ${first.seconds.toFixed(2)} s (CPU ${first.cpuSeconds.toFixed(2)} s): ` +
      `${Math.round(orders.length / first.seconds)} orders/s, ${Math.round(lines / first.seconds)} lines/s, applied ${first.applied}; ` +
      `replay ${replay.seconds.toFixed(2)} s, applied ${replay.applied}`);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
