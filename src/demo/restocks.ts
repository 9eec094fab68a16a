/**
 * Restocks follow sales: walking the orders in time, a product whose stock falls below its
 * reorder point gets a delivery a few hours later (one outstanding delivery at a time).
 */
import type { StorepulseEventInput } from '../events/schemas.js';
import type { DemoCatalog, DemoProduct } from './catalog.js';
import { Random } from './random.js';

type OrderInput = Extract<StorepulseEventInput, { type: 'order' }>;
type RestockInput = Extract<StorepulseEventInput, { type: 'restock' }>;

const HOUR = 3_600_000;

interface StockState {
  product: DemoProduct;
  stock: number;
  restocks: number;
  pending?: RestockInput;
}

/** `orders` sorted by ts; restocks due at or after `untilMs` are not emitted (they have not happened yet). */
export function planRestocks(
  catalog: DemoCatalog, orders: OrderInput[], untilMs: number,
  idOf: (productId: string, count: number) => string, source: string,
): RestockInput[] {
  const states = new Map(catalog.products.map((product) => [product.id, { product, stock: product.instock, restocks: 0 } as StockState]));
  const delivered: RestockInput[] = [];
  for (const order of orders) {
    const ts = Number(order.ts);
    for (const state of states.values()) deliverIfDue(state, ts, delivered);
    for (const line of order.lines) {
      const state = states.get(line.product_id);
      if (!state || line.kind !== 'product') continue;
      state.stock -= line.quantity;
      if (state.stock < state.product.reorderPoint && !state.pending) state.pending = restockOf(state, catalog.seed, ts, idOf, source);
    }
  }
  for (const state of states.values()) deliverIfDue(state, untilMs - 1, delivered);
  return delivered;
}

function restockOf(state: StockState, seed: number, orderTs: number, idOf: (productId: string, count: number) => string, source: string): RestockInput {
  state.restocks += 1;
  const random = Random.for(seed, 'restock', state.product.id, state.restocks);
  return {
    id: idOf(state.product.id, state.restocks), type: 'restock', ts: orderTs + random.int(2 * HOUR, 8 * HOUR), source,
    product_id: state.product.id, quantity: state.product.reorderQuantity, supplier: state.product.supplier,
  };
}

function deliverIfDue(state: StockState, nowMs: number, delivered: RestockInput[]): void {
  if (!state.pending || Number(state.pending.ts) > nowMs) return;
  state.stock += state.pending.quantity;
  delivered.push(state.pending);
  state.pending = undefined;
}
