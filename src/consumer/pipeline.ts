/**
 * Runs the consumer's steps over one batch and writes it: store first (it creates catalog entries
 * that the facts are enriched from), then the warehouse. Both sinks are idempotent by event id, so
 * a batch replayed after a crash adds nothing; the caller acknowledges the log only after this.
 */
import type { StorepulseEvent } from '../events/schemas.js';
import type { Logger } from '../logger.js';
import type { Store, DeadLetterInput } from '../store/port.js';
import type { FactBatch, Warehouse } from '../warehouse/port.js';
import { hotWindowAt } from '../store/hot-window.js';
import { LineFacts, dedupeById, parseEvents, referencedProductIds, routeToFacts, validateRules } from './steps.js';

export interface PipelineOptions {
  store: Store;
  warehouse: Warehouse;
  currency: string;
  timeZone: string;
  logger: Logger;
  /** STOREPULSE_HOT_DAYS: orders older than the hot window go to the warehouse only (hot-window.ts). */
  hotDays?: number;
  now?: () => number;
}

export interface BatchOutcome {
  received: number;
  applied: number;
  /** Already applied earlier (replay, re-import) or repeated within the batch. */
  duplicates: number;
  deadLettered: number;
  orders: number;
  orderLines: number;
}

/** A batch written to the store whose facts are not yet in the warehouse. */
export interface StagedBatch {
  outcome: BatchOutcome;
  facts: FactBatch;
  /** Events the store had applied before (replays): the only ones the warehouse may hold already. */
  mayBeWritten: ReadonlySet<string>;
}

export interface Pipeline {
  /** Events from the log or any producer: every step runs, starting with parse. */
  processRaw(rawEvents: unknown[], origin: string): Promise<BatchOutcome>;
  /**
   * Events validated against the contract (by ingest, or a file import just now): parse is skipped.
   * `unreadable` is what came with them that is not an event (the log's UnreadableEvent): dead-lettered.
   */
  processValidated(events: StorepulseEvent[], origin: string, unreadable?: DeadLetterInput[]): Promise<BatchOutcome>;
  /**
   * The first half of processValidated: dead letters and the store written, facts routed, for a
   * caller that writes the facts itself (a file import hands them to a warehouse bulk load, which
   * overlaps with the parsing and store write of the next batch). Every staged batch's facts must
   * reach the warehouse.
   */
  stageValidated(events: StorepulseEvent[], origin: string): Promise<StagedBatch>;
}

export function createPipeline(options: PipelineOptions): Pipeline {
  const now = options.now ?? Date.now;
  const lineFacts = new LineFacts();
  const stage = async (rawEvents: unknown[], origin: string, validated: boolean, unreadable: DeadLetterInput[] = []): Promise<StagedBatch> => {
    const parsed = validated
      ? { events: rawEvents as StorepulseEvent[], deadLetters: [] }
      : parseEvents(rawEvents, origin);
    const checked = validateRules(parsed.events, { currency: options.currency, nowMs: now(), origin });
    const deduped = dedupeById(checked.events);
    const deadLetters: DeadLetterInput[] = [...unreadable, ...parsed.deadLetters, ...checked.deadLetters];
    if (deadLetters.length > 0) {
      await options.store.addDeadLetters(deadLetters);
      options.logger.warn({ origin, count: deadLetters.length, first: deadLetters[0].reason }, 'events dead-lettered');
    }

    const hotFrom = options.hotDays === undefined ? undefined : hotWindowAt(new Date(now()), options.hotDays, options.timeZone).from;
    const applied = await options.store.applyEvents(deduped.events, { hotFrom });
    const catalog = await options.store.productsByIds(referencedProductIds(deduped.events));
    const facts = routeToFacts(deduped.events, catalog, options.timeZone, lineFacts);

    const newIds = new Set(applied.applied);
    const newOrders = deduped.events.filter((event) => event.type === 'order' && newIds.has(event.id));
    const outcome = {
      received: rawEvents.length,
      applied: applied.applied.length,
      duplicates: deduped.duplicates + applied.skipped.length,
      deadLettered: deadLetters.length,
      orders: newOrders.length,
      orderLines: newOrders.reduce((sum, event) => sum + (event.type === 'order' ? event.lines.length : 0), 0),
    };
    return { outcome, facts, mayBeWritten: new Set(applied.skipped) };
  };
  const run = async (rawEvents: unknown[], origin: string, validated: boolean, unreadable?: DeadLetterInput[]): Promise<BatchOutcome> => {
    const staged = await stage(rawEvents, origin, validated, unreadable);
    await options.warehouse.appendFacts(staged.facts, { mayBeWritten: staged.mayBeWritten });
    return staged.outcome;
  };
  return {
    processRaw: (rawEvents, origin) => run(rawEvents, origin, false),
    processValidated: (events, origin, unreadable) => run(events, origin, true, unreadable),
    stageValidated: (events, origin) => stage(events, origin, true),
  };
}
