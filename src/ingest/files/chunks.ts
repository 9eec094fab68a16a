import type { StorepulseEvent } from '../../events/schemas.js';
import type { ByteSource } from './source.js';
import { type ImportChunk, type RowProblem, excerptOf } from './types.js';

// Small enough that a chunk's objects die young (V8 collects them cheaply and the heap stays small);
// the warehouse bulk load of an import gathers chunks into large transactions of its own.
export const DEFAULT_CHUNK_EVENTS = 1000;
export const MAX_CHUNK_PROBLEMS = 1000;

/** Collects events and problems of one file and hands them out in chunks with running totals. */
export class ChunkCollector {
  private events: StorepulseEvent[] = [];
  private problems: RowProblem[] = [];
  private readonly chunkEvents: number;
  rowsRead = 0;

  constructor(
    private readonly file: string,
    private readonly progress: Pick<ByteSource, 'bytesRead' | 'totalBytes'>,
    chunkEvents = DEFAULT_CHUNK_EVENTS,
  ) {
    this.chunkEvents = Math.max(1, chunkEvents);
  }

  addEvent(event: StorepulseEvent): void {
    this.events.push(event);
  }

  addProblem(line: number, field: string, reason: string, text?: string): void {
    const problem: RowProblem = { file: this.file, line, field, reason };
    if (text !== undefined) problem.excerpt = excerptOf(text);
    this.problems.push(problem);
  }

  get isFull(): boolean {
    return this.events.length >= this.chunkEvents || this.problems.length >= MAX_CHUNK_PROBLEMS;
  }

  take(): ImportChunk {
    const chunk: ImportChunk = {
      events: this.events,
      problems: this.problems,
      rowsRead: this.rowsRead,
      bytesRead: this.progress.bytesRead(),
      totalBytes: this.progress.totalBytes,
    };
    this.events = [];
    this.problems = [];
    return chunk;
  }
}
