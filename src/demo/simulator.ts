/**
 * `storepulse simulate`: streams live shop traffic (views, cart adds, orders, cancellations,
 * restocks, probes) from the demo catalog to a running server, at a steady rate.
 */
import { buildDemoCatalog } from './catalog.js';
import { LiveTraffic } from './live.js';
import { sendPaced, type SendTotals } from './sender.js';

export interface SimulatorOptions {
  /** Server base URL, e.g. http://127.0.0.1:8080 (events go to <url>/v1/events). */
  url: string;
  writeKey: string;
  /** Events per second. */
  rate: number;
  /** Stop after this long; default: until aborted. */
  durationMs?: number;
  /** Stop after this many events. */
  maxEvents?: number;
  /** Events per request; default 100. A partial batch is sent after at most a second. */
  batchSize?: number;
  signal?: AbortSignal;
  /** The demo seed whose catalog and customers the traffic uses; default 1, as `storepulse demo`. */
  seed?: number;
  currency?: string;
  disksCsv?: string;
  /** Names this run in event ids (`sim:<runId>:<n>`); default: unique per run. */
  runId?: string;
  /** Attempts per batch before giving up; default 8. */
  maxAttempts?: number;
  retryDelayMs?: number;
  onProgress?(sent: number, accepted: number, rejected: number): void;
}

export type SimulatorResult = SendTotals;

export async function runSimulator(options: SimulatorOptions): Promise<SimulatorResult> {
  const catalog = buildDemoCatalog({ seed: options.seed ?? 1, currency: options.currency ?? 'GBP', disksCsv: options.disksCsv });
  const traffic = new LiveTraffic(catalog, options.runId);
  return sendPaced((count, tsOf) => traffic.take(count, tsOf), options);
}
