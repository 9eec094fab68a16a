/**
 * Child process of the SIGKILL durability test: appends batches to the log given as argv[2] and
 * prints each batch's accepted ids (one JSON array a line) only after append resolved.
 */
import { openSqliteLog } from '../../src/log/sqlite.js';
import { orderEvent } from '../contract/log.contract.js';

const file = process.argv[2];
const batchSize = Number(process.argv[3] ?? 50);
const log = openSqliteLog({ file });

for (let batch = 0; batch < 1_000_000; batch += 1) {
  const events = Array.from({ length: batchSize }, (_, index) => orderEvent(`kill-${batch}-${index}`));
  // Every tenth batch repeats an id of the batch before, so duplicates are exercised under the kill too.
  if (batch > 0 && batch % 10 === 0) events.push(orderEvent(`kill-${batch - 1}-0`));
  const { accepted } = await log.append(events);
  process.stdout.write(`${JSON.stringify(accepted)}\n`);
}
