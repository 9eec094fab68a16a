/**
 * One visit to the shop: views, cart adds, and sometimes a checkout (one order per seller, as on a
 * marketplace), sometimes cancelled later. Used by the seed data and by the live simulator, so
 * both show the same funnel.
 */
import type { StorepulseEventInput } from '../events/schemas.js';
import { formatMoneyUnits, moneyToUnits } from '../events/money.js';
import type { DemoCatalog, DemoProduct } from './catalog.js';
import type { Random } from './random.js';

type OrderInput = Extract<StorepulseEventInput, { type: 'order' }>;
type OrderLineInput = OrderInput['lines'][number];

export interface SessionNames {
  /** The next event id. */
  eventId(): string;
  /** The next order id (a cancellation uses `C` + the order id, like the online-retail invoices). */
  orderId(): string;
  sessionId: string;
  source: string;
}

export interface Session {
  /** Sorted by ts (epoch ms). */
  events: StorepulseEventInput[];
}

const MINUTE = 60_000;
const MAX_LINES = 5;

/** Shipping by destination, like the POST lines of the online-retail data. */
function postage(country: string): string {
  if (country === 'United Kingdom') return '3.95';
  if (['United States', 'Australia'].includes(country)) return '14.00';
  return '7.50';
}

interface Visitor {
  customerId?: string;
  country: string;
  /** A visitor who came to buy views more, adds more to the cart, and checks out more often. */
  buyer: boolean;
}

function chooseVisitor(catalog: DemoCatalog, random: Random): Visitor {
  const buyer = random.chance(0.12);
  if (random.chance(buyer ? 0.8 : 0.45)) {
    const customer = catalog.loyalty.pick(random);
    return { customerId: customer.id, country: customer.country, buyer };
  }
  return { country: catalog.countryOfGuest.pick(random), buyer };
}

export function buildSession(catalog: DemoCatalog, random: Random, names: SessionNames, startMs: number): Session {
  const visitor = chooseVisitor(catalog, random);
  const events: StorepulseEventInput[] = [];
  const cart = new Map<DemoProduct, number>();
  let clock = startMs;
  const viewCount = Math.min(14, 1 + random.geometric(visitor.buyer ? 0.2 : 0.35));
  for (let view = 0; view < viewCount; view++) {
    clock += random.int(10, 240) * 1000;
    const product = catalog.popularity.pick(random);
    events.push({
      id: names.eventId(), type: 'product_view', ts: clock, source: names.source, product_id: product.id,
      session_id: names.sessionId, customer_id: visitor.customerId, country: visitor.country,
    });
    if (random.chance(visitor.buyer ? 0.5 : 0.04)) {
      const quantity = random.chance(0.8) ? 1 : random.int(2, 4);
      clock += random.int(5, 60) * 1000;
      events.push({ id: names.eventId(), type: 'cart_add', ts: clock, source: names.source, product_id: product.id, quantity, session_id: names.sessionId });
      cart.set(product, (cart.get(product) ?? 0) + quantity);
    }
  }
  if (cart.size > 0 && random.chance(visitor.buyer ? 0.7 : 0.15)) {
    clock += random.int(1, 10) * MINUTE;
    events.push(...checkout(catalog, random, names, visitor, cart, clock));
  }
  return { events: events.sort((a, b) => Number(a.ts) - Number(b.ts)) };
}

/** One order per seller in the cart; each may carry postage, a rare goodwill discount, or be cancelled later. */
function checkout(catalog: DemoCatalog, random: Random, names: SessionNames, visitor: Visitor, cart: Map<DemoProduct, number>, ts: number): OrderInput[] {
  const bySeller = new Map<string, OrderLineInput[]>();
  for (const [product, quantity] of cart) {
    const lines = bySeller.get(product.sellerId) ?? [];
    if (lines.length < MAX_LINES) lines.push({ product_id: product.id, description: product.name, quantity, unit_price: product.price, kind: 'product' });
    bySeller.set(product.sellerId, lines);
  }
  const orders: OrderInput[] = [];
  // A guest checks out without an account now and then; usually the shop knows the buyer.
  const customerId = visitor.customerId ?? (random.chance(0.7) ? catalog.loyalty.pick(random).id : undefined);
  for (const [sellerId, productLines] of bySeller) {
    const lines = [...productLines];
    if (random.chance(0.35) && lines.length < MAX_LINES) lines.push({ product_id: 'POST', description: 'POSTAGE', quantity: 1, unit_price: postage(visitor.country), kind: 'fee' });
    if (random.chance(0.02) && lines.length < MAX_LINES) lines.push(goodwillDiscount(productLines));
    const order: OrderInput = {
      id: names.eventId(), type: 'order', ts, source: names.source, order_id: names.orderId(), customer_id: customerId,
      country: visitor.country, seller_id: sellerId, currency: catalog.currency, cancellation: false, lines,
    };
    orders.push(order);
    if (random.chance(0.04)) orders.push(cancellationOf(order, productLines, random, names, ts + random.int(20, 600) * MINUTE));
  }
  return orders;
}

function goodwillDiscount(productLines: OrderLineInput[]): OrderLineInput {
  const subtotal = productLines.reduce((sum, line) => sum + moneyToUnits(String(line.unit_price)) * line.quantity, 0);
  // Ten percent of the goods, in whole cents, at least 1.00 (amounts are in 1/10,000 units).
  const discount = Math.max(10_000, Math.round(subtotal / 1000) * 100);
  return { product_id: 'ADJUST', description: 'Goodwill discount', quantity: 1, unit_price: formatMoneyUnits(-discount), kind: 'adjustment' };
}

/** Cancels the whole order or one of its lines: the same products and prices, negative quantities. */
export function cancellationOf(order: OrderInput, productLines: OrderLineInput[], random: Random, names: SessionNames, ts: number): OrderInput {
  const cancelled = random.chance(0.6) ? productLines : [random.pick(productLines)];
  return {
    ...order, id: names.eventId(), ts, order_id: `C${order.order_id}`, cancellation: true,
    lines: cancelled.map((line) => ({ ...line, quantity: -line.quantity })),
  };
}
