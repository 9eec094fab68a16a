/**
 * `storepulse simulate`: streams live shop traffic (views, cart adds, orders, cancellations,
 * restocks, probes) from the demo catalog to a running server, at a steady rate.
 */
import { buildDemoCatalog } from './catalog.js';
import { LiveTraffic } from './live.js';
import { sendPaced, type PacedSendOptions, type SendTotals } from './sender.js';

/** The pacing, batching and retry options of sendPaced, plus what picks the generated traffic. */
export interface SimulatorOptions extends PacedSendOptions {
  /** The demo seed whose catalog and customers the traffic uses; default 1, as `storepulse demo`. */
  seed?: number;
  currency?: string;
  disksCsv?: string;
  /** Names this run in event ids (`sim:<runId>:<n>`); default: unique per run. */
  runId?: string;
}

export type SimulatorResult = SendTotals;

export async function runSimulator(options: SimulatorOptions): Promise<SimulatorResult> {
  const catalog = buildDemoCatalog({ seed: options.seed ?? 1, currency: options.currency ?? 'GBP', disksCsv: options.disksCsv });
  const traffic = new LiveTraffic(catalog, options.runId);
  return sendPaced((count, tsOf) => traffic.take(count, tsOf), options);
}
