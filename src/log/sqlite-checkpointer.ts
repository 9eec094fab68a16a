/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses the threshold: it copies the WAL into the database file and syncs both, which on the
 * ingest path cost about as much as the appends themselves and stalled every request behind it.
 * Here a worker thread with its own connection runs PASSIVE checkpoints (they never block the
 * writer) at most every CHECKPOINT_INTERVAL_MS while appends come in.
 *
 * The WAL only starts over when a write transaction begins on a WAL checkpointed completely, which
 * the worker's checkpoints almost never achieve while commits keep coming (each covers the frames
 * present when it started). So once the WAL holds about maxWalFrames, the writer's own connection
 * checkpoints between two transactions: only what the worker has not copied yet is left, and the
 * next transaction starts the WAL over. That bounds the file at the cost of one short stall each time.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const CHECKPOINT_INTERVAL_MS = 100;
/** 8,192 frames of 4 KiB pages: about 32 MiB (the file grows past it by what commits while a worker checkpoint holds the lock; measured under full load: 87 MB). */
export const DEFAULT_MAX_WAL_FRAMES = 8192;
/** SQLite's default, for the writer when the worker cannot run. */
const AUTOMATIC_CHECKPOINT_PAGES = 1000;

// Plain JavaScript: a worker does not inherit the TypeScript loader that runs the rest of storepulse.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ walFrames: result.log });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

export interface Checkpointer {
  /** Called by the writer after each COMMIT, with about how many bytes it wrote. */
  afterCommit(bytes: number): void;
  close(): Promise<void>;
}

export interface CheckpointerOptions {
  synchronous: 'NORMAL' | 'FULL';
  maxWalFrames: number;
  onError: (message: string) => void;
}

export function startCheckpointer(db: Database.Database, file: string, { synchronous, maxWalFrames, onError }: CheckpointerOptions): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, synchronous },
  });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');

  let failed = false;
  let exited = false;
  let inFlight = false;
  let lastStarted = 0;
  // Frames in the WAL, estimated from the bytes committed; the worker's reports correct it.
  let walFrames = 0;
  let framesSinceRequest = 0;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  let closing: Promise<void> | undefined;

  const fallBack = (message: string) => {
    if (failed) return;
    failed = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOMATIC_CHECKPOINT_PAGES}`);
    onError(`${message}; the log checkpoints within its commits instead (slower appends, nothing lost)`);
  };
  worker.on('message', (message: { walFrames?: number; error?: string }) => {
    inFlight = false;
    if (message.error) onError(`event log ${file}: background checkpoint failed: ${message.error}; it is retried`);
    else walFrames = (message.walFrames ?? 0) + framesSinceRequest;
  });
  worker.on('error', (error) => fallBack(`event log ${file}: the checkpoint worker stopped: ${String(error)}`));
  worker.on('exit', () => {
    exited = true;
    if (!closing) fallBack(`event log ${file}: the checkpoint worker exited`);
  });

  return {
    afterCommit(bytes) {
      if (failed || closing) return;
      // The pages of the payload, and the table and index pages a commit touches.
      const frames = Math.ceil(bytes / pageSize) + 2;
      walFrames += frames;
      framesSinceRequest += frames;
      if (walFrames > maxWalFrames) {
        const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
        // Busy: the worker's checkpoint is running; try again after the next commit.
        if (result.busy === 0) walFrames = result.log - result.checkpointed;
        return;
      }
      const now = Date.now();
      if (inFlight || now - lastStarted < CHECKPOINT_INTERVAL_MS) return;
      inFlight = true;
      lastStarted = now;
      framesSinceRequest = 0;
      worker.postMessage('checkpoint');
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (exited) return resolve();
        worker.once('exit', () => resolve());
        worker.ref(); // else an unreferenced worker lets the process end before its exit is awaited
        worker.postMessage('close');
      });
      return closing;
    },
  };
}
