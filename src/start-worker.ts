/**
 * Starts this program's worker threads without a TypeScript loader preloaded by the parent's
 * `node --import tsx` (or --require, --loader). A worker inherits the parent's options, and tsx's
 * ESM hooks then start a loader thread in every worker: ~0.15 s of CPU each, measured on the
 * online-retail import's reader thread (import x0.96-0.975, CPU x0.96). The workers are plain
 * JavaScript entries that load TypeScript themselves when they need to (read.worker.cjs).
 * Also here: lowering a worker's own scheduling priority (lowerThreadPriority).
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { basename } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const LOADER_OPTIONS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

export function startWorker(entry: URL | string, options: WorkerOptions, parentExecArgv: readonly string[] = process.execArgv): Worker {
  const execArgv = workerExecArgv(parentExecArgv);
  if (execArgv.length === parentExecArgv.length) return new Worker(entry, options);
  try {
    return new Worker(entry, { ...options, execArgv });
  } catch (error) {
    // Options that are the process's (V8 flags like --max-old-space-size) may not be given to a
    // worker by name, only inherited: then it inherits everything, the loader too.
    if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(entry, options);
  }
}

/** The parent's options without a tsx loader. */
export function workerExecArgv(parentExecArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < parentExecArgv.length; index += 1) {
    const option = parentExecArgv[index];
    const [name, inlineValue] = option.split(/=(.*)/s, 2);
    if (!LOADER_OPTIONS.has(name)) {
      kept.push(option);
      continue;
    }
    const value = inlineValue ?? parentExecArgv[index + 1];
    if (inlineValue === undefined) index += 1;
    if (!isTsx(value)) kept.push(...(inlineValue === undefined ? [option, value] : [option]));
  }
  return kept;
}

function isTsx(specifier: string | undefined): boolean {
  return specifier !== undefined && /^tsx(\/|$)/.test(specifier);
}

/**
 * Lowers the calling thread's scheduling priority (its nice value, Linux only: elsewhere, or when
 * not allowed, the thread keeps its priority) and returns the nice value it runs at, if known.
 * For a thread that only has to stay ahead of another one, like the file reader ahead of the
 * import's consumer: on 2 cores it otherwise takes CPU from the consumer and from the warehouse's
 * inserts that the import waits for (measured on the online-retail import: nice 10 x0.948 in 7
 * interleaved runs; nice 5 x0.94, 12 x0.92, 19 x0.90 in chained sets of 5).
 */
export function lowerThreadPriority(nice: number): number | undefined {
  try {
    const threadId = Number(basename(readlinkSync('/proc/thread-self')));
    setPriority(threadId, nice); // setpriority(2) with a thread's id sets that thread's alone, on Linux
    return threadNice();
  } catch {
    return undefined;
  }
}

/** The calling thread's nice value (Linux), from /proc/thread-self/stat. */
export function threadNice(): number {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
