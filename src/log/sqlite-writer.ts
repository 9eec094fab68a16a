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
 * Both are plain JavaScript: a worker thread does not inherit the TypeScript loader.
 */
import { createRequire } from 'node:module';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { BodyFormat } from '../events/request-body.js';

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

const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
const timer = setInterval(() => {
  db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage('checkpointed');
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

// Group commit: every batch of a message, and of the messages waiting behind it, shares one
// transaction and so one COMMIT. Each batch keeps its own entry.
const WORKER_SOURCE = `
const { Worker, receiveMessageOnPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');
db.pragma('journal_size_limit = ' + workerData.journalSizeLimit);
const port = workerData.port;
const pageSize = db.pragma('page_size', { simple: true });

const checkpointer = new Worker(workerData.checkpointerSource, { eval: true, workerData: { driver: workerData.driver, file: workerData.file, synchronous: workerData.synchronous, intervalMs: workerData.intervalMs } });
let checkpointerRunning = true;
const checkpointerStopped = (error) => {
  if (!checkpointerRunning) return;
  checkpointerRunning = false;
  if (error) {
    db.pragma('wal_autocheckpoint = 1000');
    process.emitWarning('event log ' + workerData.file + ': the checkpoint thread failed (' + error + '); the writer checkpoints within its commits instead (slower appends, nothing lost)');
  }
};
checkpointer.on('error', checkpointerStopped);
checkpointer.on('exit', () => checkpointerStopped());

// Frames in the WAL since it last started over, estimated from the bytes committed: the payload's pages and the table and index pages a commit touches.
let walFrames = 0;
function catchUp() {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  // Busy: the checkpoint thread holds the lock; try again later.
  if (result.busy === 0) walFrames = result.log - result.checkpointed;
}
// Right after a background checkpoint only what was committed during it is left to copy: the shortest stall.
checkpointer.on('message', () => {
  if (walFrames >= workerData.maxWalFrames) catchUp();
});
function afterCommit(bytes) {
  walFrames += Math.ceil(bytes / pageSize) + 2;
  if (walFrames >= 2 * workerData.maxWalFrames) catchUp();
}
let bytesInTransaction = 0;
// One statement for a batch's ids; RETURNING yields only the ids new to the log (a repeat within the batch comes back once).
const insertNewIds = db.prepare('INSERT OR IGNORE INTO log_ids (id) SELECT value FROM json_each(?) RETURNING id').pluck();
const insertEntry = db.prepare('INSERT INTO log_entries (received_at, event_count, payload, body_ids) VALUES (?, ?, ?, ?)');

function appendBatch(batch, receivedAt) {
  const { idGenerated, body, eventTexts } = batch;
  const duplicates = [];
  let taken; // undefined: every event is taken (all ids generated)
  if (idGenerated.includes('0')) {
    const ids = body ? JSON.parse(batch.ids).filter((id) => id !== null) : JSON.parse(batch.ids);
    const clientIds = ids.filter((_, index) => idGenerated[index] === '0');
    const newIds = new Set(insertNewIds.all(JSON.stringify(clientIds)));
    // The first occurrence of a new id is taken; a repeat within the batch is a duplicate, like an id seen earlier.
    taken = ids.map((id, index) => idGenerated[index] === '1' || newIds.delete(id));
    taken.forEach((isTaken, index) => { if (!isTaken) duplicates.push(index); });
  }
  const count = idGenerated.length - duplicates.length;
  if (count === 0) return duplicates;
  if (body) {
    const bodyIds = taken ? JSON.parse(batch.ids) : [];
    let next = 0; // the n-th id of the body that is not null belongs to ids[n]
    for (let index = 0; index < bodyIds.length; index += 1) {
      if (bodyIds[index] === null) continue;
      if (!taken[next]) bodyIds[index] = null;
      next += 1;
    }
    const bytes = zlib.deflateRawSync(body.bytes, { level: 1 });
    bytesInTransaction += bytes.length;
    insertEntry.run(receivedAt, count, bytes, '{"format":"' + body.format + '","encoding":"deflate-raw","ids":' + (taken ? JSON.stringify(bodyIds) : batch.ids) + '}');
  } else {
    const payload = '[' + (taken ? eventTexts.filter((_, index) => taken[index]) : eventTexts).join(',') + ']';
    bytesInTransaction += payload.length;
    insertEntry.run(receivedAt, count, payload, null);
  }
  return duplicates;
}

const appendMessages = db.transaction((messages) => {
  const receivedAt = new Date().toISOString();
  return messages.map((message) => message.batches.map((batch) => appendBatch(batch, receivedAt)));
});

port.on('message', (first) => {
  const messages = [];
  let closing = first === 'close';
  if (!closing) messages.push(first);
  for (let waiting = closing ? undefined : receiveMessageOnPort(port); waiting; waiting = receiveMessageOnPort(port)) {
    if (waiting.message === 'close') {
      closing = true;
      break;
    }
    messages.push(waiting.message);
  }
  if (messages.length > 0) {
    bytesInTransaction = 0;
    try {
      const results = appendMessages.immediate(messages);
      messages.forEach((message, index) => port.postMessage({ seq: message.seq, results: results[index] }));
    } catch (error) {
      for (const message of messages) port.postMessage({ seq: message.seq, error: String(error) + '; nothing of it was stored' });
    }
    if (checkpointerRunning) afterCommit(bytesInTransaction);
  }
  if (closing) {
    const finish = () => {
      db.close();
      port.close();
    };
    if (!checkpointerRunning) return finish();
    checkpointer.once('exit', finish);
    checkpointer.postMessage('close');
  }
});
`;

export interface LogWriter {
  /** Appends each batch as its own entry, in one transaction; resolves after the COMMIT. */
  /** The batches' bytes are transferred: their buffers are unusable afterwards. */
  append(batches: WriterBatch[]): Promise<WriterResult[]>;
  close(): Promise<void>;
}

interface Reply { seq: number; results?: WriterResult[]; error?: string }

export function startLogWriter(file: string, synchronous: 'NORMAL' | 'FULL', maxWalFrames: number): LogWriter {
  const { port1: port, port2: workerPort } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, synchronous, port: workerPort, maxWalFrames,
      journalSizeLimit: JOURNAL_SIZE_LIMIT, checkpointerSource: CHECKPOINTER_SOURCE, intervalMs: CHECKPOINT_INTERVAL_MS,
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
    stopped ??= new Error(`event log ${file}: ${reason}; appends are refused until storepulse restarts`);
    for (const waiter of pending.values()) waiter.reject(new Error(`event log ${file}: ${reason}; whether the append was stored is unknown: retry it with the same ids`));
    pending.clear();
  };
  worker.on('error', (error) => stop(`the log writer thread failed: ${String(error)}`));
  worker.on('exit', () => stop('the log writer thread exited'));

  return {
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
