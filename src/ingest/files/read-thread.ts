/**
 * The body of the file-reading thread (see read-in-thread.ts): once told what the main thread
 * learned of the file ahead, it reads the file and posts its chunks, encoded, staying at most
 * `aheadChunks` ahead of what the main thread has taken, so that a slow consumer never makes the
 * reader hold the whole file.
 *
 * Only the online-retail reader is loaded up front: the others (and zod, which they validate
 * with) come with `loadReaders` when a file needs them, which keeps the thread's start short.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type EncodedChunk, encodeChunk } from './chunk-transfer.js';
import type * as FileReaders from './index.js';
import type { PreparedRead } from './index.js';
import { readOnlineRetail } from './online-retail.js';
import { lowerThreadPriority } from '../../start-worker.js';
import type { ImportChunk, ReadOptions } from './types.js';

export interface ReadThreadData {
  file: string;
  options: ReadOptions;
  aheadChunks: number;
}

/** Messages to the thread: first the prepared read, then 'taken' for each chunk taken. */
export type ToReadThread = { type: 'start'; prepared: PreparedRead } | 'taken';

/** Messages from the thread; the main thread answers each chunk with 'taken'. */
export type ReadThreadMessage =
  | { type: 'chunk'; chunk: EncodedChunk }
  | { type: 'end' }
  | { type: 'error'; message: string; stack?: string };

/** How the entry file (read.worker.cjs) loads index.ts: from the sources and from a build alike. */
export type LoadReaders = () => Promise<typeof FileReaders>;

/** The reader's nice value: it yields the CPU to the consumer, which it only has to stay ahead of. */
const READER_NICE = 10;

export function runReadThread(loadReaders: LoadReaders): void {
  lowerThreadPriority(READER_NICE);
  const port = parentPort!;
  const { file, options, aheadChunks } = workerData as ReadThreadData;
  let notTaken = 0;
  let wakeReader: (() => void) | undefined;

  const readAndPost = async (prepared: PreparedRead) => {
    try {
      for await (const chunk of readChunks(file, options, prepared, loadReaders)) {
        const { encoded, transfer } = encodeChunk(chunk);
        port.postMessage({ type: 'chunk', chunk: encoded } satisfies ReadThreadMessage, transfer);
        notTaken += 1;
        while (notTaken >= aheadChunks) await new Promise<void>((resolve) => { wakeReader = resolve; });
      }
      port.postMessage({ type: 'end' } satisfies ReadThreadMessage);
    } catch (error) {
      port.postMessage({ type: 'error', message: (error as Error).message ?? String(error), stack: (error as Error).stack } satisfies ReadThreadMessage);
    }
    port.unref();
  };

  port.on('message', (message: ToReadThread) => {
    if (message !== 'taken') {
      void readAndPost(message.prepared);
      return;
    }
    notTaken -= 1;
    wakeReader?.();
    wakeReader = undefined;
  });
}

async function* readChunks(file: string, options: ReadOptions, prepared: PreparedRead, loadReaders: LoadReaders): AsyncGenerator<ImportChunk> {
  // prepareRead (on the main thread) has checked the options and detected the format.
  if (prepared.format === 'online-retail-csv') yield* readOnlineRetail(file, options, prepared.retailSurvey);
  else yield* (await loadReaders()).readEventFile(file, options, prepared);
}
