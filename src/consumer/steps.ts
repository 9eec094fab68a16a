/**
 * The consumer's named steps (STYLE.md "Ingestion as named steps"): parse → validate business
 * rules → dedupe by id → route. Each is a plain function; the pipeline runs them in order and the
 * write step (pipeline.ts) hands the routed batch to the store and the warehouse.
 */
import { checkEvent, type OrderEvent, type OrderLine, type StorepulseEvent } from '../events/schemas.js';
import { localDate } from '../events/time.js';
import { moneyToUnits } from '../events/money.js';
import { boundedMemo } from '../events/memo.js';
import type { DeadLetterInput, ProductSummary } from '../store/port.js';
import type { FactBatch, LineProductFact, OrderFact, OrderLineFact } from '../warehouse/port.js';

export interface StepResult {
  events: StorepulseEvent[];
  deadLetters: DeadLetterInput[];
}

export interface RuleContext {
  /** The shop's currency: KPIs sum money, so every order and product must use it. */
  currency: string;
  nowMs: number;
  origin: string;
}

const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
/** Prices and catalog-less products LineFacts keeps, and facts per product (kinds × sellers × names). */
const MAX_REMEMBERED = 100_000;
const MAX_VARIANTS = 16;

/** parse: re-checks each raw event against the contract (the log may have other producers). */
export function parseEvents(raw: unknown[], origin: string): StepResult {
  const events: StorepulseEvent[] = [];
  const deadLetters: DeadLetterInput[] = [];
  raw.forEach((candidate, index) => {
    const check = checkEvent(candidate, index);
    if (check.ok) events.push(check.event);
    else deadLetters.push({ payload: candidate, origin, event_id: check.problem.id, reason: `${check.problem.field}: ${check.problem.reason}` });
  });
  return { events, deadLetters };
}

/** validate: the business rules that the shape alone cannot express. */
export function validateRules(events: StorepulseEvent[], context: RuleContext): StepResult {
  const valid: StorepulseEvent[] = [];
  const deadLetters: DeadLetterInput[] = [];
  for (const event of events) {
    const reason = ruleViolation(event, context);
    if (reason) deadLetters.push({ payload: event, origin: context.origin, event_id: event.id, reason });
    else valid.push(event);
  }
  return { events: valid, deadLetters };
}

function ruleViolation(event: StorepulseEvent, context: RuleContext): string | undefined {
  if (Date.parse(event.ts) > context.nowMs + MAX_FUTURE_MS) {
    return `ts ${event.ts} is more than a day in the future; check the producer's clock`;
  }
  if ((event.type === 'order' || event.type === 'product') && event.currency !== context.currency) {
    return `currency ${event.currency} differs from the shop currency ${context.currency}; convert amounts before sending`;
  }
  if (event.type === 'order') return orderRuleViolation(event);
  return undefined;
}

function orderRuleViolation(order: OrderEvent): string | undefined {
  if (order.cancellation) {
    const index = order.lines.findIndex((line) => line.quantity > 0);
    if (index >= 0) return `lines.${index}.quantity: a cancellation must have negative quantities`;
  }
  return undefined;
}

/** dedupe: keeps the first of events sharing an id within a batch (the sinks skip ids applied earlier). */
export function dedupeById(events: StorepulseEvent[]): { events: StorepulseEvent[]; duplicates: number } {
  const seen = new Set<string>();
  const unique: StorepulseEvent[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    unique.push(event);
  }
  return { events: unique, duplicates: events.length - unique.length };
}

/** Product ids whose catalog entries the route step needs to enrich facts. */
export function referencedProductIds(events: StorepulseEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.type === 'order') for (const line of event.lines) ids.add(line.product_id);
    else if (event.type === 'product_view' || event.type === 'cart_add') ids.add(event.product_id);
  }
  return [...ids];
}

/**
 * route: turns events into the warehouse's facts, denormalized with catalog dimensions. Pass the
 * same `lines` for consecutive batches (the pipeline does) and their lines share product facts too.
 */
export function routeToFacts(events: StorepulseEvent[], catalog: Map<string, ProductSummary>, timeZone: string, lines = new LineFacts()): FactBatch {
  const batch: FactBatch = { orders: [], views: [], cartAdds: [], probes: [] };
  lines.startBatch(catalog);
  for (const event of events) {
    const ms = Date.parse(event.ts);
    const day = localDate(ms, timeZone);
    switch (event.type) {
      case 'order':
        batch.orders.push(orderFactOf(event, day, lines));
        break;
      case 'product_view': {
        const product = catalog.get(event.product_id);
        batch.views.push({
          event_id: event.id, ts: event.ts, day, product_id: event.product_id,
          category: product?.category ?? null, seller_id: product?.seller_id ?? null,
          session_id: event.session_id ?? null, customer_id: event.customer_id ?? null,
          country: event.country ?? null, location: event.location ?? null,
        });
        break;
      }
      case 'cart_add': {
        const product = catalog.get(event.product_id);
        batch.cartAdds.push({
          event_id: event.id, ts: event.ts, day, product_id: event.product_id,
          category: product?.category ?? null, seller_id: product?.seller_id ?? null,
          session_id: event.session_id ?? null, quantity: event.quantity,
        });
        break;
      }
      case 'probe':
        batch.probes.push({
          event_id: event.id, ts: event.ts, day, location: event.location, target: event.target,
          ok: event.ok, status: event.status ?? null, latency_ms: event.latency_ms,
        });
        break;
      case 'product':
      case 'restock':
        break; // catalog and inventory live in the OLTP store only
    }
  }
  return batch;
}

function orderFactOf(order: OrderEvent, day: string, facts: LineFacts): OrderFact {
  const lines = new Array<OrderLineFact>(order.lines.length);
  for (let index = 0; index < order.lines.length; index++) {
    const line = order.lines[index];
    lines[index] = {
      line_no: index + 1,
      product: facts.productOf(line, order.seller_id),
      quantity: line.quantity,
      unit_price_units: facts.priceUnits(line.unit_price),
    };
  }
  return {
    event_id: order.id, order_id: order.order_id, ts: order.ts, day, customer_id: order.customer_id ?? null,
    country: order.country ?? null, cancellation: order.cancellation, currency: order.currency, lines,
  };
}

/**
 * What order lines share. Lines repeat a few thousand prices, each parsed once (profiled: parsing
 * each line's price was a tenth of the import's main-thread time), and lines of one product, kind
 * and seller get one LineProductFact, which the warehouse then looks up by identity rather than by
 * its fields. A product is known by its catalog entry object (the store hands out a new one when
 * the product changes), or by its id when the catalog lacks it. Bounded: prices and products the
 * catalog lacks are forgotten past MAX_REMEMBERED, and a product keeps at most MAX_VARIANTS facts.
 */
export class LineFacts {
  readonly priceUnits = boundedMemo(moneyToUnits, { maxEntries: MAX_REMEMBERED });
  private readonly byEntry = new WeakMap<ProductSummary, LineProductFact[]>();
  private readonly byId = new Map<string, LineProductFact[]>();
  private catalog = new Map<string, ProductSummary>();

  /** Call before routing a batch, with the catalog entries its lines refer to. */
  startBatch(catalog: Map<string, ProductSummary>): void {
    this.catalog = catalog;
    if (this.byId.size > MAX_REMEMBERED) this.byId.clear();
  }

  productOf(line: OrderLine, orderSeller: string | undefined): LineProductFact {
    const product = this.catalog.get(line.product_id);
    const name = product?.name ?? line.description ?? null;
    const seller = orderSeller ?? product?.seller_id ?? null;
    let made = product ? this.byEntry.get(product) : this.byId.get(line.product_id);
    if (!made) {
      made = [];
      if (product) this.byEntry.set(product, made);
      else this.byId.set(line.product_id, made);
    }
    for (const candidate of made) {
      if (candidate.kind === line.kind && candidate.seller_id === seller && candidate.product_name === name) return candidate;
    }
    const fact: LineProductFact = { product_id: line.product_id, product_name: name, category: product?.category ?? null, kind: line.kind, seller_id: seller };
    if (made.length < MAX_VARIANTS) made.push(fact);
    return fact;
  }
}
