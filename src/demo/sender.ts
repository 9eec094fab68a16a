/**
 * Sends event batches to `POST <url>/v1/events`, paced to a rate. A batch that meets a network
 * error, a 429 or a 5xx is sent again, with the same events and ids, after a growing pause: the
 * server's dedupe by id makes a retry of a batch that did arrive count once.
 */
import type { StorepulseEvent, StorepulseEventInput } from '../events/schemas.js';

export interface IngestAnswer {
  accepted: string[];
  duplicates: string[];
  rejected: { index: number; field: string; reason: string }[];
}

export interface SendTotals {
  /** Events in batches the server answered. */
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Failed attempts (network errors, 429, 5xx, or an answer that stopped the run). */
  errors: number;
  /** Why the run stopped early, if it did (e.g. a wrong write key, or the server was unreachable). */
  lastError?: string;
}

export interface PacedSendOptions {
  /** Server base URL, e.g. http://127.0.0.1:8080 (events go to <url>/v1/events). */
  url: string;
  writeKey: string;
  /** Events per second. */
  rate: number;
  durationMs?: number;
  /** Stop after this many events. */
  maxEvents?: number;
  /** Events per request; default 100. A partial batch is sent after at most a second. */
  batchSize?: number;
  signal?: AbortSignal;
  /** Attempts per batch before the run stops; default 8 (about 30 s of retrying). */
  maxAttempts?: number;
  /** First pause between attempts; it doubles each time, up to 8 s. */
  retryDelayMs?: number;
  onProgress?(sent: number, accepted: number, rejected: number): void;
}

/**
 * Produces the next `count` events (fewer when it runs short; none when it is done); `tsOf(i)`
 * is when the i-th of them is due (epoch ms), for sources that stamp events as they are sent.
 */
export type EventSource = (count: number, tsOf: (index: number) => number) => OutgoingEvent[] | Promise<OutgoingEvent[]>;
export type OutgoingEvent = StorepulseEventInput | StorepulseEvent;

const DEFAULT_BATCH_SIZE = 100;
/** A partial batch waits at most this long, so a low rate still streams. */
const FLUSH_INTERVAL_MS = 1000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_RETRY_DELAY_MS = 8000;

class StopRun extends Error {}

export async function sendPaced(source: EventSource, options: PacedSendOptions): Promise<SendTotals> {
  if (!(options.rate > 0) || !Number.isFinite(options.rate)) throw new RangeError(`rate must be a positive number of events per second, got ${options.rate}`);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/events`;
  const totals: SendTotals = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, errors: 0 };
  const startMs = Date.now();
  const dueAt = (index: number) => startMs + Math.floor((index * 1000) / options.rate);
  const limit = options.maxEvents ?? Number.POSITIVE_INFINITY;
  let lastSendMs = startMs;
  while (!options.signal?.aborted && totals.sent < limit) {
    const nowMs = Date.now();
    const finished = options.durationMs !== undefined && nowMs - startMs >= options.durationMs;
    const dueUntil = finished ? startMs + options.durationMs! : nowMs;
    const due = Math.min(limit, Math.floor(((dueUntil - startMs) * options.rate) / 1000) + 1) - totals.sent;
    const last = totals.sent + due >= limit;
    if (due >= batchSize || (due > 0 && (finished || last || nowMs - lastSendMs >= FLUSH_INTERVAL_MS))) {
      const first = totals.sent;
      const events = await source(Math.min(due, batchSize), (index) => dueAt(first + index));
      if (events.length === 0) break;
      try {
        countAnswer(totals, events.length, await postWithRetry(endpoint, events, options, totals));
      } catch (error) {
        if (!(error instanceof StopRun)) throw error;
        if (error.message) totals.lastError = error.message;
        break;
      }
      lastSendMs = Date.now();
      options.onProgress?.(totals.sent, totals.accepted, totals.rejected);
      continue;
    }
    if (finished) break;
    const untilFull = dueAt(totals.sent + batchSize - 1) - nowMs;
    const untilFlush = due > 0 ? lastSendMs + FLUSH_INTERVAL_MS - nowMs : dueAt(totals.sent) - nowMs;
    await sleep(Math.max(1, Math.min(untilFull, untilFlush, 250)), options.signal);
  }
  return totals;
}

function countAnswer(totals: SendTotals, batchLength: number, answer: IngestAnswer): void {
  totals.sent += batchLength;
  totals.accepted += answer.accepted.length;
  totals.duplicates += answer.duplicates.length;
  totals.rejected += answer.rejected.length;
}

/** Throws StopRun when the run should end: aborted while waiting to retry, out of attempts, or an answer retrying cannot fix. */
async function postWithRetry(endpoint: string, events: OutgoingEvent[], options: PacedSendOptions, totals: SendTotals): Promise<IngestAnswer> {
  const body = JSON.stringify({ events });
  const maxAttempts = options.maxAttempts ?? 8;
  let delayMs = options.retryDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    const outcome = await postOnce(endpoint, body, options.writeKey);
    if ('answer' in outcome) return outcome.answer;
    totals.errors += 1;
    if (!outcome.retryable) throw new StopRun(outcome.problem);
    if (attempt >= maxAttempts) throw new StopRun(`${outcome.problem}; gave up after ${attempt} attempts (is storepulse running at ${endpoint}?)`);
    await sleep(delayMs * (0.75 + Math.random() / 2), options.signal);
    if (options.signal?.aborted) throw new StopRun('');
    delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS);
  }
}

type PostOutcome = { answer: IngestAnswer } | { retryable: boolean; problem: string };

async function postOnce(endpoint: string, body: string, writeKey: string): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${writeKey}` },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { retryable: true, problem: `POST ${endpoint} failed: ${cause}` };
  }
  const text = await response.text().catch(() => '');
  if (response.status === 429 || response.status >= 500) {
    return { retryable: true, problem: `POST ${endpoint} answered ${response.status}: ${text.slice(0, 200)}` };
  }
  const answer = parseAnswer(text);
  // A 400 that lists rejected events is an answer too: every event in the batch was invalid.
  if (answer && (response.ok || response.status === 400)) return { answer };
  const hint = response.status === 401 || response.status === 403 ? ' (check the write key: --key or STOREPULSE_WRITE_KEY)' : '';
  return { retryable: false, problem: `POST ${endpoint} answered ${response.status}${hint}: ${text.slice(0, 200)}` };
}

function parseAnswer(text: string): IngestAnswer | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<IngestAnswer>;
    if (Array.isArray(parsed.accepted) && Array.isArray(parsed.duplicates) && Array.isArray(parsed.rejected)) return parsed as IngestAnswer;
  } catch {
    // not JSON: handled by the caller as an unexpected answer
  }
  return undefined;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
