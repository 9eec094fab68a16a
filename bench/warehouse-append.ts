/**
 * Prints how fast the DuckDB warehouse appends the whole online-retail file in one batch and in
 * consumer-sized batches of 10,000 lines, how long a full replay (all skipped) takes, and the time
 * of KPI queries over the whole period. Each round starts from an empty file; the best round is the
 * figure least disturbed by other work on the machine. CPU time counts DuckDB's threads too.
 * Run: node --import tsx bench/warehouse-append.ts [rounds]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDuckDbWarehouse } from '../src/warehouse/duckdb.js';
import type { OrderFact, Warehouse } from '../src/warehouse/port.js';
import { loadOnlineRetailFacts } from '../test/warehouse/online-retail-facts.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const BATCH_LINES = 10_000;
const facts = await loadOnlineRetailFacts('UTC');
const WHOLE_PERIOD = { fromMs: Date.parse('2010-12-01T00:00:00Z'), toMs: Date.parse('2011-12-10T00:00:00Z'), limit: 10 };

async function timed<T>(task: () => Promise<T>): Promise<{ seconds: number; cpuSeconds: number; value: T }> {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const value = await task();
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6, value };
}

async function appendInBatches(warehouse: Warehouse, orders: OrderFact[]): Promise<number> {
  let applied = 0;
  let batch: OrderFact[] = [];
  let lines = 0;
  for (const order of [...orders, undefined]) {
    if (order) {
      batch.push(order);
      lines += order.lines.length;
    }
    if ((lines >= BATCH_LINES || !order) && batch.length > 0) {
      applied += (await warehouse.appendFacts({ orders: batch, views: [], cartAdds: [], probes: [] })).applied;
      batch = [];
      lines = 0;
    }
  }
  return applied;
}

const all = { orders: facts, views: [], cartAdds: [], probes: [] };
const format = (run: { seconds: number; cpuSeconds: number }) => `${run.seconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s)`;
for (let round = 1; round <= ROUNDS; round += 1) {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'storepulse-warehouse-bench-'));
  try {
    const warehouse = await openDuckDbWarehouse({ file: path.join(directory, 'one.duckdb'), timeZone: 'UTC' });
    const once = await timed(() => warehouse.appendFacts(all));
    const replay = await timed(() => warehouse.appendFacts(all));
    const totals = await timed(() => warehouse.runKpi('totals', WHOLE_PERIOD));
    const mostSold = await timed(() => warehouse.runKpi('most-sold', WHOLE_PERIOD));
    const daySales = await timed(() => warehouse.runKpi('product-day-sales', { ...WHOLE_PERIOD, limit: 1_000_000 }));
    await warehouse.close();
    const batched = await openDuckDbWarehouse({ file: path.join(directory, 'batched.duckdb'), timeZone: 'UTC' });
    const inBatches = await timed(() => appendInBatches(batched, facts));
    await batched.close();
    console.log(`round ${round}: ${facts.length} orders in one batch ${format(once)}, applied ${once.value.applied}; ` +
      `replay ${format(replay)}; in batches of ${BATCH_LINES} ${format(inBatches)}, applied ${inBatches.value}; ` +
      `KPIs: totals ${Math.round(totals.seconds * 1000)} ms, most-sold ${Math.round(mostSold.seconds * 1000)} ms, ` +
      `product-day-sales (${daySales.value.rows.length} rows) ${Math.round(daySales.seconds * 1000)} ms`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
