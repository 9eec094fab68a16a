/**
 * Prints how many 100-event order batches per second the SQLite log appends, per sync mode, with
 * one appender awaiting each append and with 20 concurrent appenders (like concurrent HTTP requests).
 * Run: node --import tsx bench/log-append.ts [batches]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteLog } from '../src/log/sqlite.js';
import { orderEvent } from '../test/contract/log.contract.js';

const BATCHES = Number(process.argv[2] ?? 3000);
const BATCH_SIZE = 100;

async function measure(sync: 'normal' | 'full', concurrency: number): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'storepulse-log-bench-'));
  const log = openSqliteLog({ file: path.join(dir, 'log.sqlite'), sync });
  const batches = Array.from({ length: BATCHES }, (_, batch) =>
    Array.from({ length: BATCH_SIZE }, (_, index) => orderEvent(`bench-${batch}-${index}`)));
  let next = 0;
  const appender = async () => {
    while (next < batches.length) await log.append(batches[next++]);
  };
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, appender));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  await log.close();
  await rm(dir, { recursive: true, force: true });
  const perSecond = BATCHES / seconds;
  console.log(`sync=${sync}, ${concurrency} appender(s): ${BATCHES} appends of ${BATCH_SIZE} order events in ${seconds.toFixed(2)} s ` +
    `(CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s) = ${perSecond.toFixed(0)} appends/s, ${(perSecond * BATCH_SIZE).toFixed(0)} events/s`);
}

for (const sync of ['normal', 'full'] as const) {
  await measure(sync, 1);
  await measure(sync, 20);
}
