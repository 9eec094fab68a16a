/**
 * Prints how many 100-event order batches per second the SQLite log appends, per sync mode.
 * Run: node --import tsx test/log/measure-append.ts [batches]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteLog } from '../../src/log/sqlite.js';
import { orderEvent } from '../contract/log.contract.js';

const BATCHES = Number(process.argv[2] ?? 3000);
const BATCH_SIZE = 100;

async function measure(sync: 'normal' | 'full'): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'storepulse-log-bench-'));
  const log = openSqliteLog({ file: path.join(dir, 'log.sqlite'), sync });
  const batches = Array.from({ length: BATCHES }, (_, batch) =>
    Array.from({ length: BATCH_SIZE }, (_, index) => orderEvent(`bench-${batch}-${index}`)));
  const started = process.hrtime.bigint();
  for (const batch of batches) await log.append(batch);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await log.close();
  await rm(dir, { recursive: true, force: true });
  const perSecond = BATCHES / seconds;
  console.log(`sync=${sync}: ${BATCHES} appends of ${BATCH_SIZE} order events in ${seconds.toFixed(2)} s = ` +
    `${perSecond.toFixed(0)} appends/s, ${(perSecond * BATCH_SIZE).toFixed(0)} events/s`);
}

await measure('normal');
await measure('full');
