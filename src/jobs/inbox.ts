/**
 * The inbox job (DESIGN §3, §6): loads every settled file of the inbox bucket through the file
 * importers, then moves it to `processed`, or to `failed` with `<name>.errors.json` beside it
 * (line, field, reason). Runs every minute and, through watchInbox, when a file arrives.
 *
 * A file still being copied in must not be loaded half: a file is taken only when two looks
 * `quietMs` (1 s) apart see the same size and modification time, and that time is at least
 * `quietMs` old. Hidden names (".x", rsync's temp files) and download/partial suffixes
 * (.part, .partial, .tmp, .crdownload, .download, "~") are never taken; files put through the
 * objects port are atomic (written under a reserved temporary name, then renamed).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';
import { importFile, type FileImportSummary } from '../ingest/import-files.js';
import type { RowProblem } from '../ingest/files/index.js';
import { formatNumber } from '../notify/messages.js';
import { describeError, realSleep, type Sleep } from '../notify/retry.js';
import { RESERVED_SEGMENT_PREFIX, type ObjectEntry } from '../objects/port.js';
import type { Job, JobContext, JobOutcome } from './job.js';

export const INBOX_QUIET_MS = 1000;
const ARRIVAL_DEBOUNCE_MS = 500;
/** Problems listed in a file's errors.json; every failed row is also a dead letter. */
const MAX_PROBLEMS_IN_REPORT = 1000;
const TEMPORARY_NAME = /^\.|\.(part|partial|tmp|crdownload|download)$|~$/i;

export interface InboxJobOptions {
  /** How long a file's size and modification time must stay unchanged before it is loaded. */
  quietMs?: number;
  /** Injectable for tests (e.g. to keep writing a file while the job waits). */
  sleep?: Sleep;
  now?: () => number;
}

type FileResult =
  | { status: 'loaded'; key: string; summary: FileImportSummary }
  | { status: 'failed'; key: string; reason: string; report: string; summary?: FileImportSummary };

export function inboxJob(app: App, options: InboxJobOptions = {}): Job {
  const quietMs = options.quietMs ?? INBOX_QUIET_MS;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;

  async function run(context: JobContext): Promise<JobOutcome> {
    const { ready, arriving } = await settledFiles(app, quietMs, sleep, now, context.signal);
    const results: FileResult[] = [];
    let storageFailure: string | undefined;
    for (const entry of ready) {
      if (context.signal.aborted) break;
      try {
        results.push(await loadOne(app, entry.key, context));
      } catch (error) {
        storageFailure = `could not load ${entry.key}: ${describeError(error)}; it stays in the inbox and is loaded again on the next run`;
        break;
      }
    }
    const reasons = results.flatMap((result) => (result.status === 'failed' ? [result.reason] : []));
    const loaded = results.flatMap((result) => (result.status === 'loaded' ? [loadedPart(result.summary)] : []));
    if (storageFailure || reasons.length > 0) {
      const alsoLoaded = loaded.length > 0 ? `; loaded ${loaded.join('; ')}` : '';
      throw new Error([...reasons, ...(storageFailure ? [storageFailure] : [])].join('; ') + alsoLoaded);
    }
    return {
      summary: runSummary(loaded, arriving),
      outputs: { files: results.map(fileOutput), arriving },
      // A minute tick over an empty inbox is recorded, not announced.
      quiet: results.length === 0 && arriving.length === 0,
    };
  }

  return {
    name: 'inbox',
    description: 'Loads files dropped into the inbox bucket (online-retail CSV, Diskovery JSON/CSV, NDJSON, .gz), then moves each to processed, or to failed with <name>.errors.json',
    defaultSchedule: '* * * * *',
    run,
    // A bad file is reported at once; a storage failure leaves the file in the inbox for the next tick.
    retry: { attempts: 1, baseDelayMs: 0 },
  };
}

/**
 * Calls `onArrival` (debounced) when a file appears in the inbox folder, so that the job need not
 * wait for its minute tick. Returns a function that stops watching.
 */
export function watchInbox(app: App, onArrival: () => void, debounceMs = ARRIVAL_DEBOUNCE_MS): () => void {
  const folder = path.join(app.objects.root, 'inbox');
  const seen = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    // Files moved out by the job itself also raise events: only a name that is there now is an arrival.
    const arrived = [...seen].some((name) => fs.existsSync(path.join(folder, name)));
    seen.clear();
    if (arrived) onArrival();
  };
  const watcher = fs.watch(folder, { persistent: false }, (_event, filename) => {
    const name = filename?.toString();
    // The objects adapter's temporary files end in a rename that raises an event with the real name.
    if (!name || name.startsWith(RESERVED_SEGMENT_PREFIX)) return;
    seen.add(name);
    clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  });
  watcher.on('error', (error) => app.logger.warn({ err: describeError(error), folder }, 'inbox: watching the folder failed; files are still loaded on the minute tick'));
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

async function settledFiles(app: App, quietMs: number, sleep: Sleep, now: () => number, signal: AbortSignal):
  Promise<{ ready: ObjectEntry[]; arriving: string[] }> {
  const first = (await app.objects.list('inbox')).filter((entry) => !TEMPORARY_NAME.test(path.posix.basename(entry.key)));
  if (first.length === 0) return { ready: [], arriving: [] };
  await sleep(quietMs, signal).catch(() => undefined);
  if (signal.aborted) return { ready: [], arriving: [] };
  const second = new Map((await app.objects.list('inbox')).map((entry) => [entry.key, entry]));
  const ready: ObjectEntry[] = [];
  const arriving: string[] = [];
  for (const entry of first) {
    const again = second.get(entry.key);
    if (!again) continue; // taken away meanwhile
    const unchanged = again.size === entry.size && again.modified.getTime() === entry.modified.getTime();
    if (unchanged && now() - again.modified.getTime() >= quietMs) ready.push(again);
    else arriving.push(entry.key);
  }
  ready.sort((a, b) => a.modified.getTime() - b.modified.getTime() || (a.key < b.key ? -1 : 1));
  return { ready, arriving };
}

async function loadOne(app: App, key: string, context: JobContext): Promise<FileResult> {
  const file = app.objects.pathFor('inbox', key);
  const name = path.posix.basename(key);
  let summary: FileImportSummary;
  try {
    summary = await importFile(app, file, { maxProblemsKept: MAX_PROBLEMS_IN_REPORT });
  } catch (error) {
    // An error of the stores, not of the file: the file stays in the inbox and the retry loads it again.
    if (isStorageError(error)) throw error;
    const reason = describeError(error).replaceAll(file, name);
    const report = await moveToFailed(app, key, wholeFileReport(name, reason));
    context.logger.warn({ key, reason }, `inbox: ${key} could not be read; moved to failed/${key}`);
    return { status: 'failed', key, reason: `${name}: ${reason}; moved to failed/${key}`, report };
  }
  if (summary.failedRows > 0) {
    const report = await moveToFailed(app, key, rowsReport(summary));
    context.logger.warn({ key, failedRows: summary.failedRows }, `inbox: ${key} had ${summary.failedRows} bad rows; moved to failed/${key}`);
    return { status: 'failed', key, reason: rowsFailureReason(summary, key), report, summary };
  }
  await app.objects.move('inbox', key, 'processed', key);
  context.logger.info({ key, rows: summary.rows, orders: summary.orders, seconds: summary.seconds }, `inbox: loaded ${key}`);
  return { status: 'loaded', key, summary };
}

/** The report is written before the move: a crash in between leaves the file in the inbox, to be loaded again. */
async function moveToFailed(app: App, key: string, report: object): Promise<string> {
  const reportKey = `${key}.errors.json`;
  await app.objects.put('failed', reportKey, `${JSON.stringify(report, null, 2)}\n`);
  await app.objects.move('inbox', key, 'failed', key);
  return reportKey;
}

function isStorageError(error: unknown): boolean {
  const { name, message } = error instanceof Error ? error : { name: '', message: String(error) };
  return name === 'SqliteError' || /^(warehouse|store)[: ]/.test(message);
}

/** "online-retail-bad.csv: 2 rows failed (line 3: Quantity: …); its other 8 rows were loaded; report at failed/…". */
function rowsFailureReason(summary: FileImportSummary, key: string): string {
  const first = summary.problems[0];
  const detail = first ? ` (${problemText(first)})` : ' (see the dead letters)';
  const good = Math.max(0, summary.rows - summary.failedRows);
  return `${summary.name}: ${plural(summary.failedRows, 'row')} failed${detail}; its other ${plural(good, 'row')} were loaded; `
    + `moved to failed/${key}, report at failed/${key}.errors.json`;
}

function problemText(problem: RowProblem): string {
  return `line ${problem.line}: ${problem.field}: ${problem.reason}`;
}

function rowsReport(summary: FileImportSummary) {
  return {
    file: summary.name,
    format: summary.format,
    failed_at: new Date().toISOString(),
    rows: summary.rows,
    failed_rows: summary.failedRows,
    loaded_events: summary.applied,
    already_loaded_events: summary.duplicates,
    orders: summary.orders,
    problems: summary.problems.map(({ line, field, reason, excerpt }) => ({ line, field, reason, ...(excerpt ? { excerpt } : {}) })),
    note: `The rows listed were left out (the first ${MAX_PROBLEMS_IN_REPORT} at most; every one is also in the dead letters); `
      + 'the other rows were loaded. Fix the rows and put the file in the inbox again: rows already loaded are not counted twice.',
  };
}

function wholeFileReport(name: string, reason: string) {
  return {
    file: name,
    failed_at: new Date().toISOString(),
    rows: 0,
    failed_rows: null,
    problems: [{ line: null, field: '(file)', reason }],
    note: 'Nothing was loaded from this file. Fix it and put it in the inbox again.',
  };
}

function loadedPart(summary: FileImportSummary): string {
  if (summary.skippedAsAlreadyLoaded) return `${summary.name}, already loaded (same content), nothing new`;
  const duplicates = summary.duplicates > 0 ? `, ${formatNumber(summary.duplicates)} events already loaded` : '';
  return `${summary.name}, ${plural(summary.rows, 'row')}, ${plural(summary.orders, 'order')}${duplicates}`;
}

function runSummary(loaded: string[], arriving: string[]): string {
  const waiting = arriving.length > 0 ? `${arriving.join(', ')} still arriving, loaded once unchanged for a second` : '';
  if (loaded.length === 0) return waiting ? `nothing loaded yet: ${waiting}` : 'the inbox is empty';
  return [loaded.join('; '), waiting].filter(Boolean).join('; ');
}

function fileOutput(result: FileResult) {
  const counts = result.summary
    ? { format: result.summary.format, rows: result.summary.rows, orders: result.summary.orders, failed_rows: result.summary.failedRows }
    : {};
  if (result.status === 'loaded') return { key: result.key, status: result.status, moved_to: `processed/${result.key}`, ...counts };
  return { key: result.key, status: result.status, moved_to: `failed/${result.key}`, report: `failed/${result.report}`, ...counts };
}

function plural(count: number, noun: string): string {
  return `${formatNumber(count)} ${noun}${count === 1 ? '' : 's'}`;
}
