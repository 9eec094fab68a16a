/**
 * readEventFile in a thread of its own: decompressing, decoding and parsing a file (about a third
 * of an online-retail import's main-thread time) then runs beside the consumer's store and
 * warehouse writes instead of before them. Chunks arrive in file order, encoded by
 * chunk-transfer.ts; the reader stays a few chunks ahead and stops when the caller stops taking.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../start-worker.js';
import { decodeChunk } from './chunk-transfer.js';
import { DEFAULT_CHUNK_EVENTS, MAX_CHUNK_PROBLEMS } from './chunks.js';
import { type PreparedRead, detectFormat, prepareRead } from './index.js';
import type { ReadThreadData, ReadThreadMessage, ToReadThread } from './read-thread.js';
import type { FileFormat, ImportChunk, ReadOptions } from './types.js';

/**
 * The thread reads small chunks: a chunk's objects live until it is encoded, and small ones die
 * young, which V8 collects cheaply (measured: ~10% less CPU over the online-retail import than
 * chunks of 1000). The caller gets them gathered into chunks of its size.
 */
const THREAD_CHUNK_EVENTS = 100;
/** Thread chunks read ahead of the caller: enough to cover a slow caller's chunk, few enough to bound memory. */
const AHEAD_CHUNKS = 40;

/** A file being read in a thread: the thread and the file's first pass start when it is opened. */
export interface ThreadFileReader {
  /** The file's format, as detected for reading it (rejects for a file of no known format). */
  readonly format: Promise<FileFormat>;
  /** The file's chunks in order; take them once. */
  chunks(): AsyncGenerator<ImportChunk>;
  /** Stops the thread, read to the end or not. */
  close(): Promise<void>;
}

/**
 * Starts reading at once: the format and the first pass over the file (on this thread) run while the
 * thread starts, as does whatever the caller does before taking chunks.
 */
export function openFileReaderInThread(file: string, options: ReadOptions): ThreadFileReader {
  const worker = startWorker(new URL('./read.worker.cjs', import.meta.url), {
    workerData: { file, options: { ...options, chunkEvents: THREAD_CHUNK_EVENTS }, aheadChunks: AHEAD_CHUNKS } satisfies ReadThreadData,
  });
  const inbox = new MessageQueue(worker);
  const format = detectFormat(file);
  format.catch(() => {}); // reported to whoever awaits it
  const started = prepareRead(file, options, format).then((prepared) => {
    worker.postMessage({ type: 'start', prepared } satisfies ToReadThread, transferableContent(prepared));
  });
  started.catch(() => {}); // reported by chunks()
  return {
    format,
    chunks: () => readChunks(worker, inbox, started, options.chunkEvents ?? DEFAULT_CHUNK_EVENTS),
    close: async () => {
      await worker.terminate();
    },
  };
}

/**
 * The buffers of a survey's kept content, moved to the thread rather than copied. A piece in a
 * small buffer (which may be Node's shared pool, never transferable) is copied into one of its own.
 */
function transferableContent(prepared: PreparedRead): ArrayBuffer[] {
  const content = prepared.retailSurvey?.content;
  if (!content) return [];
  const buffers = new Set<ArrayBuffer>();
  content.forEach((piece, index) => {
    if (!piece) return;
    if (piece.buffer.byteLength <= Buffer.poolSize) content[index] = piece = new Uint8Array(piece);
    buffers.add(piece.buffer as ArrayBuffer);
  });
  return [...buffers];
}

export async function* readEventFileInThread(file: string, options: ReadOptions): AsyncGenerator<ImportChunk> {
  const reader = openFileReaderInThread(file, options);
  try {
    yield* reader.chunks();
  } finally {
    await reader.close();
  }
}

async function* readChunks(worker: Worker, inbox: MessageQueue, started: Promise<void>, chunkEvents: number): AsyncGenerator<ImportChunk> {
  const gathered = new ChunkGatherer(chunkEvents);
  await started;
  for (;;) {
    const message = await inbox.next();
    if (message.type === 'end') {
      // The thread's heap goes now, not with close(): an import's memory peaks in the inserts after the last chunk.
      await worker.terminate();
      if (!gathered.isEmpty) yield gathered.take();
      return;
    }
    if (message.type === 'error') throw Object.assign(new Error(message.message), { stack: message.stack ?? message.message });
    worker.postMessage('taken' satisfies ToReadThread);
    gathered.add(decodeChunk(message.chunk));
    // When the thread is not ahead, the caller takes at least half a chunk rather than wait for a
    // whole one (measured: as fast, and the import's peak RSS ~15 MB lower).
    if (gathered.isFull || (!inbox.hasMessages && gathered.isHalfFull)) yield gathered.take();
  }
}

/** Consecutive chunks as one: their events and problems in order, the running totals of the last. */
class ChunkGatherer {
  private chunk: ImportChunk | undefined;

  constructor(private readonly chunkEvents: number) {}

  get isEmpty(): boolean {
    return this.chunk === undefined;
  }

  get isHalfFull(): boolean {
    return this.chunk !== undefined && this.chunk.events.length * 2 >= this.chunkEvents;
  }

  get isFull(): boolean {
    return this.chunk !== undefined && (this.chunk.events.length >= this.chunkEvents || this.chunk.problems.length >= MAX_CHUNK_PROBLEMS);
  }

  add(next: ImportChunk): void {
    if (!this.chunk) {
      this.chunk = next;
      return;
    }
    for (const event of next.events) this.chunk.events.push(event);
    for (const problem of next.problems) this.chunk.problems.push(problem);
    this.chunk.rowsRead = next.rowsRead;
    this.chunk.bytesRead = next.bytesRead;
    this.chunk.totalBytes = next.totalBytes;
  }

  take(): ImportChunk {
    const chunk = this.chunk!;
    this.chunk = undefined;
    return chunk;
  }
}

/** The thread's messages in order, and its failure (or exit before its last message) as a message too. */
class MessageQueue {
  private readonly queued: ReadThreadMessage[] = [];
  private waiting: ((message: ReadThreadMessage) => void) | undefined;

  constructor(worker: Worker) {
    worker.on('message', (message: ReadThreadMessage) => this.push(message));
    worker.on('error', (error) => this.push({ type: 'error', message: `the file reader thread failed: ${error.message}`, stack: error.stack }));
    worker.on('exit', (code) => this.push({ type: 'error', message: `the file reader thread exited (code ${code}) before the end of the file` }));
  }

  get hasMessages(): boolean {
    return this.queued.length > 0;
  }

  next(): Promise<ReadThreadMessage> {
    const message = this.queued.shift();
    if (message) return Promise.resolve(message);
    return new Promise((resolve) => { this.waiting = resolve; });
  }

  private push(message: ReadThreadMessage): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(message);
    else this.queued.push(message);
  }
}
