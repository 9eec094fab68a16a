/**
 * The body of the file-reading thread (see read-in-thread.ts): once told what the main thread
 * learned of the file ahead, reads it with readEventFile and posts its chunks, encoded, staying at most `aheadChunks` ahead of what the main thread has
 * taken, so that a slow consumer never makes the reader hold the whole file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeChunk } from './chunk-transfer.js';
import { type PreparedRead, readEventFile } from './index.js';
import type { ReadOptions } from './types.js';

export interface ReadThreadData {
  file: string;
  options: ReadOptions;
  aheadChunks: number;
}

/** Messages to the thread: first the prepared read, then 'taken' for each chunk taken. */
export type ToReadThread = { type: 'start'; prepared: PreparedRead } | 'taken';

/** Messages from the thread; the main thread answers each chunk with 'taken'. */
export type ReadThreadMessage =
  | { type: 'chunk'; chunk: ReturnType<typeof encodeChunk>['encoded'] }
  | { type: 'end' }
  | { type: 'error'; message: string; stack?: string };

const port = parentPort!;
const { file, options, aheadChunks } = workerData as ReadThreadData;
let notTaken = 0;
let wakeReader: (() => void) | undefined;
port.on('message', (message: ToReadThread) => {
  if (message !== 'taken') {
    void readAndPost(message.prepared);
    return;
  }
  notTaken -= 1;
  wakeReader?.();
  wakeReader = undefined;
});

async function readAndPost(prepared: PreparedRead): Promise<void> {
  try {
    for await (const chunk of readEventFile(file, options, prepared)) {
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
}
