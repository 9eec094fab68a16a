/**
 * The event log's appends run in a worker thread with its own connection: the id lookups, the
 * entry inserts and the COMMIT. On the event loop they cost about as much per request as the whole
 * HTTP exchange of the bare server; here they cost a message each way. Appends still resolve only
 * after their COMMIT.
 *
 * Checkpoints (copying the WAL into the database file and syncing both) would stall the writer
 * and with it every request waiting for its COMMIT, so a second thread runs PASSIVE checkpoints,
 * which never block the writer. Those cannot let the WAL start over while commits keep coming (each
 * covers the frames present when it began), so once the WAL holds about maxWalFrames the writer
 * checkpoints the rest itself between two transactions, right after a background checkpoint (only
 * what was committed during it is left): one stall of ~10-20 ms per maxWalFrames.
 *
 * Request bodies are stored deflated (level 1, in this thread): orders of the online-retail data
 * shrink ~5.7× for ~3 µs a KB, and every byte not written is one the WAL, the checkpoints and the
 * catch-up stalls do not handle. (The benchmark's body, 100 copies of one order, shrinks ~50×.)
 *
 * Both threads are plain JavaScript files beside this one (sqlite-writer.worker.cjs,
 * sqlite-checkpointer.worker.cjs): a worker thread does not inherit the TypeScript loader.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import type { BodyFormat } from '../events/request-body.js';
import { startWorker } from '../start-worker.js';

/**
 * One append as the worker takes it, made cheap to send: a message copies every string of an array
 * separately (~45 µs a request for 300 ids), so ids travel as one JSON string, and the body's bytes
 * are transferred, not copied (~17 µs for 34 KB).
 */
export interface WriterBatch {
  /** The JSON array of the events' ids in order; with a body, of the body's events (null for one not taken). */
  ids: string;
  /** Per event, '1' if its id was generated at ingest (neither looked up nor indexed), else '0'. */
  idGenerated: string;
  /** Stored as received: the ids above go beside it. */
  body?: { format: BodyFormat; bytes: Uint8Array };
  /** Without a body: each event's JSON, from which the entry of the new ones is joined. */
  eventTexts?: string[];
}

/** Per batch, the indexes of its events that were duplicates (not stored). */
export type WriterResult = number[];

/** 32,768 frames of 4 KiB pages: about 128 MiB; the file is cut back to JOURNAL_SIZE_LIMIT once it starts over. */
export const DEFAULT_MAX_WAL_FRAMES = 32_768;
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;
const CHECKPOINT_INTERVAL_MS = 100;



export interface LogWriter {
  /** Appends each batch as its own entry, in one transaction; resolves after the COMMIT. */
  /** The batches' bytes are transferred: their buffers are unusable afterwards. */
  append(batches: WriterBatch[]): Promise<WriterResult[]>;
  /** The thread failed or exited: it takes no more appends (the log starts another). */
  readonly stopped: boolean;
  close(): Promise<void>;
}

interface Reply { seq: number; results?: WriterResult[]; error?: string }

export function startLogWriter(file: string, synchronous: 'NORMAL' | 'FULL', maxWalFrames: number): LogWriter {
  const { port1: port, port2: workerPort } = new MessageChannel();
  const worker = startWorker(new URL('./sqlite-writer.worker.cjs', import.meta.url), {
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, synchronous, port: workerPort, maxWalFrames,
      journalSizeLimit: JOURNAL_SIZE_LIMIT, checkpointerFile: fileURLToPath(new URL('./sqlite-checkpointer.worker.cjs', import.meta.url)), intervalMs: CHECKPOINT_INTERVAL_MS,
    },
    transferList: [workerPort],
  });
  const pending = new Map<number, { resolve: (results: WriterResult[]) => void; reject: (error: Error) => void }>();
  let nextSeq = 0;
  let stopped: Error | undefined;
  // Only a writer with appends in flight keeps the process alive.
  const holdProcess = (hold: boolean) => (hold ? (worker.ref(), port.ref()) : (worker.unref(), port.unref()));
  holdProcess(false);

  port.on('message', ({ seq, results, error }: Reply) => {
    const waiter = pending.get(seq);
    pending.delete(seq);
    if (pending.size === 0) holdProcess(false);
    if (results) waiter?.resolve(results);
    else waiter?.reject(new Error(error));
  });
  const stop = (reason: string) => {
    stopped ??= new Error(`event log ${file}: ${reason}; this writer takes no more appends`);
    for (const waiter of pending.values()) waiter.reject(new Error(`event log ${file}: ${reason}; whether the append was stored is unknown: retry it with the same ids`));
    pending.clear();
  };
  worker.on('error', (error) => stop(`the log writer thread failed: ${String(error)}`));
  worker.on('exit', () => stop('the log writer thread exited'));

  return {
    get stopped() {
      return stopped !== undefined;
    },
    append(batches) {
      if (stopped) return Promise.reject(stopped);
      const seq = nextSeq;
      nextSeq += 1;
      return new Promise<WriterResult[]>((resolve, reject) => {
        pending.set(seq, { resolve, reject });
        holdProcess(true);
        port.postMessage({ seq, batches }, batches.flatMap((batch) => (batch.body ? [batch.body.bytes.buffer as ArrayBuffer] : [])));
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (stopped) return resolve();
        worker.once('exit', () => resolve());
        holdProcess(true); // else the process may end before the writer has closed its connection
        port.postMessage('close');
      });
    },
  };
}
