/**
 * Live traffic for the simulator: the same shop and the same visits as the seed data, stamped
 * with the time they are sent. Ids are `sim:<run>:<n>` and orders `S<run>-<n>`, so they never
 * meet the seed data's `demo:` ids or a previous run's.
 */
import { randomUUID } from 'node:crypto';
import type { StorepulseEventInput } from '../events/schemas.js';
import type { DemoCatalog, DemoProduct } from './catalog.js';
import { PROBE_LOCATIONS, probeEvent } from './probes.js';
import { Random } from './random.js';
import { buildSession } from './sessions.js';

export const SIMULATOR_SOURCE = 'simulator';
/** Each location checks the shop this often (in event time). */
const PROBE_EVERY_MS = 15_000;
/** A cancellation arrives this many events after its order, not right behind it. */
const CANCELLATION_DELAY_EVENTS = [50, 500] as const;

interface Deferred {
  dueAfter: number;
  event: StorepulseEventInput;
}

export class LiveTraffic {
  readonly runId: string;
  private readonly random: Random;
  private readonly queue: StorepulseEventInput[] = [];
  private readonly deferred: Deferred[] = [];
  private readonly soldSinceRestock = new Map<string, number>();
  private readonly products: Map<string, DemoProduct>;
  private eventNumber = 0;
  private orderNumber = 0;
  private sessionNumber = 0;
  private emitted = 0;
  private nextProbeMs?: number;
  private probeNumber = 0;
  private lastWasProbe = false;

  constructor(private readonly catalog: DemoCatalog, runId?: string) {
    this.runId = runId ?? `${Date.now().toString(36)}${randomUUID().slice(0, 4)}`;
    this.random = Random.for(catalog.seed, 'live', this.runId);
    this.products = new Map(catalog.products.map((product) => [product.id, product]));
  }

  /** The next `count` events, the i-th stamped with `tsOf(i)`. */
  take(count: number, tsOf: (index: number) => number): StorepulseEventInput[] {
    const events: StorepulseEventInput[] = [];
    for (let index = 0; index < count; index++) events.push(this.next(tsOf(index)));
    return events;
  }

  private next(ts: number): StorepulseEventInput {
    const event = this.dueProbe(ts) ?? this.dueDeferred() ?? this.fromVisit();
    this.emitted += 1;
    this.trackStock(event, ts);
    return { ...event, ts };
  }

  /** Probes keep their own clock; at a very low rate they take at most every other event. */
  private dueProbe(ts: number): StorepulseEventInput | undefined {
    const step = PROBE_EVERY_MS / PROBE_LOCATIONS.length;
    this.nextProbeMs ??= ts;
    if (ts < this.nextProbeMs || this.lastWasProbe) {
      this.lastWasProbe = false;
      return undefined;
    }
    this.nextProbeMs = Math.max(this.nextProbeMs + step, ts - step);
    this.lastWasProbe = true;
    const location = PROBE_LOCATIONS[this.probeNumber++ % PROBE_LOCATIONS.length];
    return probeEvent(location, this.random, ts, this.eventId(), SIMULATOR_SOURCE);
  }

  private dueDeferred(): StorepulseEventInput | undefined {
    const index = this.deferred.findIndex((item) => item.dueAfter <= this.emitted);
    return index === -1 ? undefined : this.deferred.splice(index, 1)[0].event;
  }

  private fromVisit(): StorepulseEventInput {
    while (this.queue.length === 0) {
      const session = buildSession(this.catalog, this.random, {
        eventId: () => this.eventId(),
        orderId: () => `S${this.runId}-${++this.orderNumber}`,
        sessionId: `sim-${this.runId}-${this.sessionNumber++}`,
        source: SIMULATOR_SOURCE,
      }, 0);
      for (const event of session.events) {
        if (event.type === 'order' && event.cancellation) {
          this.deferred.push({ dueAfter: this.emitted + this.random.int(...CANCELLATION_DELAY_EVENTS), event });
        } else {
          this.queue.push(event);
        }
      }
    }
    return this.queue.shift()!;
  }

  /** Restocks a product once live sales have taken half its reorder quantity. */
  private trackStock(event: StorepulseEventInput, ts: number): void {
    if (event.type !== 'order') return;
    for (const line of event.lines) {
      const product = this.products.get(line.product_id);
      if (!product || line.kind !== 'product') continue;
      const sold = (this.soldSinceRestock.get(product.id) ?? 0) + line.quantity;
      this.soldSinceRestock.set(product.id, sold);
      if (sold < product.reorderQuantity / 2) continue;
      this.soldSinceRestock.set(product.id, 0);
      this.deferred.push({
        dueAfter: this.emitted + this.random.int(20, 200),
        event: { id: this.eventId(), type: 'restock', ts, source: SIMULATOR_SOURCE, product_id: product.id, quantity: product.reorderQuantity, supplier: product.supplier },
      });
    }
  }

  private eventId(): string {
    return `sim:${this.runId}:${this.eventNumber++}`;
  }
}
