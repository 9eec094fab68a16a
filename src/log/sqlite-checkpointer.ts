/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses the threshold: it copies the WAL into the database file and syncs both, which on the
 * ingest path cost about as much as the appends themselves and stalled every request behind it.
 * Here a worker thread with its own connection runs PASSIVE checkpoints (they never block the
 * writer) at most every CHECKPOINT_INTERVAL_MS while appends come in.
 *
 * A passive checkpoint cannot finish while the writer keeps committing, and the WAL only starts
 * over once it has been checkpointed completely. So when the worker reports a WAL over
 * MAX_WAL_FRAMES, the writer's own connection checkpoints the rest between two transactions,
 * which bounds the file (at the cost of one short stall per MAX_WAL_FRAMES).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const CHECKPOINT_INTERVAL_MS = 100;
/** 16,384 frames of 4 KiB pages: a WAL of about 64 MiB. */
const MAX_WAL_FRAMES = 16_384;
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
  /** Called by the writer after each COMMIT. */
  afterCommit(): void;
  close(): Promise<void>;
}

export function startCheckpointer(db: Database.Database, file: string, synchronous: 'NORMAL' | 'FULL', onError: (message: string) => void): Checkpointer {
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
  let walFrames = 0;
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
    else walFrames = message.walFrames ?? 0;
  });
  worker.on('error', (error) => fallBack(`event log ${file}: the checkpoint worker stopped: ${String(error)}`));
  worker.on('exit', () => {
    exited = true;
    if (!closing) fallBack(`event log ${file}: the checkpoint worker exited`);
  });

  return {
    afterCommit() {
      if (failed || closing) return;
      if (walFrames > MAX_WAL_FRAMES && !inFlight) {
        const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
        walFrames = result.log - result.checkpointed;
        return;
      }
      const now = Date.now();
      if (inFlight || now - lastStarted < CHECKPOINT_INTERVAL_MS) return;
      inFlight = true;
      lastStarted = now;
      worker.postMessage('checkpoint');
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (exited) return resolve();
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      });
      return closing;
    },
  };
}
