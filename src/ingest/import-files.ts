/**
 * Loads files (online-retail CSV, Diskovery JSON/CSV, NDJSON; .gz too) through the consumer's
 * pipeline. The file is its own durable source and ids are derived from its content, so files skip
 * the event log: a load interrupted half-way is completed by loading the file again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { App } from '../app.js';
import type { WarehouseBulkLoad } from '../warehouse/port.js';
import type { RowProblem } from './files/index.js';
import { type ThreadFileReader, openFileReaderInThread } from './files/read-in-thread.js';

export interface FileImportSummary {
  file: string;
  name: string;
  format: string;
  rows: number;
  events: number;
  applied: number;
  duplicates: number;
  orders: number;
  orderLines: number;
  failedRows: number;
  problems: RowProblem[];
  skippedAsAlreadyLoaded: boolean;
  seconds: number;
}

export interface ImportProgress {
  file: string;
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

export interface ImportOptions {
  /** Load again even when a file with the same content was loaded before (adds nothing new). */
  force?: boolean;
  /** Events per pipeline batch (one store transaction each). */
  chunkEvents?: number;
  /** Keep at most this many problems in the summary (all are dead-lettered). */
  maxProblemsKept?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export async function importFile(app: App, file: string, options: ImportOptions = {}): Promise<FileImportSummary> {
  const started = performance.now();
  const name = path.basename(file);
  // Reading starts at once, beside the checks below (a file loaded before is then not read).
  const reader = openFileReaderInThread(file, {
    name, timeZone: app.config.timeZone, currency: app.config.currency, chunkEvents: options.chunkEvents,
  });
  try {
    return await importWith(app, reader, file, name, options, started);
  } finally {
    await reader.close();
  }
}

async function importWith(app: App, reader: ThreadFileReader, file: string, name: string, options: ImportOptions, started: number): Promise<FileImportSummary> {
  const sha256 = await fileSha256(file);
  const format = await reader.format;
  const summary: FileImportSummary = {
    file, name, format, rows: 0, events: 0, applied: 0, duplicates: 0, orders: 0, orderLines: 0,
    failedRows: 0, problems: [], skippedAsAlreadyLoaded: false, seconds: 0,
  };
  const previous = await app.store.getIngestedFile(sha256);
  if (previous?.status === 'loaded' && !options.force) {
    summary.skippedAsAlreadyLoaded = true;
    summary.rows = previous.rows;
    return finish(summary, started);
  }

  const facts = await app.warehouse.openBulkLoad();
  try {
    await loadChunks(app, reader, name, options, summary, facts);
    await facts.finish();
  } catch (error) {
    await facts.abort();
    throw error;
  }
  await app.store.recordIngestedFile({
    sha256, name, format, rows: summary.rows, events: summary.events, failed_rows: summary.failedRows,
    status: summary.failedRows > 0 ? 'failed' : 'loaded',
  });
  return finish(summary, started);
}

async function loadChunks(app: App, reader: ThreadFileReader, name: string, options: ImportOptions, summary: FileImportSummary, facts: WarehouseBulkLoad): Promise<void> {
  const origin = `import:${name}`;
  const maxKept = options.maxProblemsKept ?? 1000;
  // One warehouse write stays in flight while the next chunk is parsed and written to the store.
  const factsInFlight = new OneInFlight();
  for await (const chunk of reader.chunks()) {
    const staged = await app.pipeline.stageValidated(chunk.events, origin);
    await factsInFlight.replace(() => facts.append(staged.facts));
    if (chunk.problems.length > 0) {
      await app.store.addDeadLetters(chunk.problems.map((problem) => ({
        payload: problem, origin, reason: `${problem.file} line ${problem.line}: ${problem.field}: ${problem.reason}`,
      })));
      summary.failedRows += chunk.problems.length;
      summary.problems.push(...chunk.problems.slice(0, Math.max(0, maxKept - summary.problems.length)));
    }
    const { outcome } = staged;
    summary.rows = chunk.rowsRead;
    summary.events += chunk.events.length;
    summary.applied += outcome.applied;
    summary.duplicates += outcome.duplicates;
    summary.orders += outcome.orders;
    summary.orderLines += outcome.orderLines;
    summary.failedRows += outcome.deadLettered;
    options.onProgress?.({ file: name, bytesRead: chunk.bytesRead, totalBytes: chunk.totalBytes, rows: chunk.rowsRead });
    // Chunks the reader has sent ahead are taken without a turn of the event loop, and so would the
    // whole file be: the warehouse's writes would finish only as they are waited for, at the end.
    await nextTurn();
  }
  await factsInFlight.settle();
}

/** At most one background write; its failure surfaces at the next replace() or settle(). */
class OneInFlight {
  private current: Promise<unknown> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  async replace(start: () => Promise<void>): Promise<void> {
    await this.settle();
    this.current = start().catch((error: unknown) => { this.failure = { error }; });
  }

  async settle(): Promise<void> {
    await this.current;
    if (this.failure) throw this.failure.error;
  }
}

function finish(summary: FileImportSummary, started: number): FileImportSummary {
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
