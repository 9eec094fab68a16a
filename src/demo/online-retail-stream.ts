/**
 * Replays the UCI online-retail CSV to a running server as a stream of orders (DESIGN §8, seed
 * 002: the dataset "streamed row by row"), at a steady rate. Invoices keep their original
 * timestamps and their import ids (`retail:<InvoiceNo>`), so streaming and importing the same
 * file count each invoice once.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEventFile, type ImportChunk } from '../ingest/files/index.js';
import { sendPaced, type OutgoingEvent, type PacedSendOptions, type SendTotals } from './sender.js';

export const DEFAULT_ONLINE_RETAIL_CSV = path.resolve(fileURLToPath(import.meta.url), '../../../../shared/data/online-retail.csv.gz');
export const RETAIL_STREAM_SOURCE = 'retail-stream';
/** Keeps a request well under the server's 4 MiB default even when big wholesale invoices come together. */
const MAX_BATCH_BYTES = 1024 * 1024;

export interface OnlineRetailStreamOptions extends PacedSendOptions {
  /** The CSV (or .csv.gz); default ../shared/data/online-retail.csv.gz beside the repository. */
  file?: string;
  /** Orders (invoices) per second. */
  rate: number;
  /** The zone the file's wall-clock times are in; default UTC. */
  timeZone?: string;
  currency?: string;
  /** Called for each row the reader left out, e.g. to print it. */
  onProblem?(problem: ImportChunk['problems'][number]): void;
}

export interface OnlineRetailStreamResult extends SendTotals {
  /** Rows of the file that could not become part of an order. */
  rowProblems: number;
}

export async function streamOnlineRetail(options: OnlineRetailStreamOptions): Promise<OnlineRetailStreamResult> {
  const file = options.file ?? DEFAULT_ONLINE_RETAIL_CSV;
  const chunks = readEventFile(file, { name: path.basename(file), timeZone: options.timeZone ?? 'UTC', currency: options.currency ?? 'GBP' });
  const buffer: OutgoingEvent[] = [];
  let rowProblems = 0;
  let done = false;
  const nextBatch = async (count: number): Promise<OutgoingEvent[]> => {
    while (buffer.length < count && !done) {
      const chunk = await chunks.next();
      if (chunk.done) {
        done = true;
        break;
      }
      rowProblems += chunk.value.problems.length;
      for (const problem of chunk.value.problems) options.onProblem?.(problem);
      buffer.push(...chunk.value.events.map((event) => ({ ...event, source: RETAIL_STREAM_SOURCE })));
    }
    return takeWithinBytes(buffer, count);
  };
  try {
    const totals = await sendPaced(nextBatch, options);
    return { ...totals, rowProblems };
  } finally {
    await chunks.return(undefined);
  }
}

/** Up to `count` events from the front of `buffer`, stopping before MAX_BATCH_BYTES (always at least one). */
function takeWithinBytes(buffer: OutgoingEvent[], count: number): OutgoingEvent[] {
  let bytes = 0;
  let taken = 0;
  while (taken < Math.min(count, buffer.length)) {
    bytes += Buffer.byteLength(JSON.stringify(buffer[taken]));
    if (taken > 0 && bytes > MAX_BATCH_BYTES) break;
    taken += 1;
  }
  return buffer.splice(0, taken);
}
