/**
 * The log consumer: a plain loop that reads pending entries, runs the pipeline over them as one
 * batch, and acknowledges them only after both sinks have written. Batches are bounded by rows
 * (STOREPULSE_BATCH_ROWS) and time (STOREPULSE_BATCH_MS), like Plausible's write buffer.
 */
import type { Logger } from '../logger.js';
import type { EventLog } from '../log/port.js';
import type { BatchOutcome, Pipeline } from './pipeline.js';

export interface ConsumerOptions {
  log: EventLog;
  pipeline: Pipeline;
  logger: Logger;
  name?: string;
  batchRows: number;
  batchMs: number;
  onBatch?: (outcome: BatchOutcome) => void;
}

export interface Consumer {
  start(): void;
  /** Processes everything pending now; resolves when the log is drained (tests, shutdown, CLI). */
  drain(): Promise<void>;
  /** Stops after the current batch, flushing what was read. */
  stop(): Promise<void>;
}

const RETRY_DELAY_MS = 1000;

export function createConsumer(options: ConsumerOptions): Consumer {
  const consumerName = options.name ?? 'storepulse';
  let running = false;
  let loop: Promise<void> | undefined;
  let busy: Promise<unknown> = Promise.resolve();

  // One batch at a time, whether from the loop or from drain().
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = busy.then(work, work);
    busy = next.catch(() => undefined);
    return next;
  };

  const processOnce = (): Promise<number> => exclusive(async () => {
    const entries = await options.log.read(consumerName, options.batchRows);
    if (entries.length === 0) return 0;
    const events = entries.flatMap((entry) => entry.events);
    const unreadable = entries.flatMap((entry) => (entry.unreadable ?? []).map((item) => ({ ...item, origin: 'log' })));
    // The log only holds events that passed the contract at ingest (EventLog.append takes checked
    // events), so the parse step is not run again here: it cost as much as the ingest's own check.
    const outcome = await options.pipeline.processValidated(events, 'log', unreadable);
    await options.log.ack(consumerName, entries.map((entry) => entry.position));
    options.onBatch?.(outcome);
    options.logger.debug({ entries: entries.length, ...outcome }, 'consumer batch written');
    return entries.length;
  });

  const runLoop = async () => {
    while (running) {
      try {
        const processed = await processOnce();
        if (processed === 0) {
          await options.log.waitForAppend(1000);
          // Let a burst of appends gather into one batch.
          if (running) await sleep(options.batchMs);
        }
      } catch (error) {
        options.logger.error({ err: error }, 'consumer batch failed; retrying (the log keeps the entries until written)');
        await sleep(RETRY_DELAY_MS);
      }
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    async drain() {
      while ((await processOnce()) > 0) { /* keep going until nothing is pending */ }
    },
    async stop() {
      running = false;
      await loop;
      await this.drain();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
