/**
 * An ImportChunk made cheap to send between threads. A message copies every object, property and
 * string separately, and a chunk of online-retail orders holds ~20,000 line objects: received as
 * they are, they cost the receiving thread about what parsing them did. Orders travel instead as
 * columns of integers (transferred, not copied) into a table of the chunk's distinct strings, and
 * are rebuilt with the same keys in the same order. Each distinct string arrives once, so the
 * receiver's lookups by product id or price hash it once. Other events (small files) travel as
 * they are.
 */
import { LINE_KINDS, type LineKind } from '../../events/line-kinds.js';
import type { OrderEvent, OrderLine, StorepulseEvent } from '../../events/schemas.js';
import type { ImportChunk } from './types.js';

const ABSENT = -1;
/** A key present with the value undefined (zod's output has such keys; the readers' own objects leave them out). */
const UNDEFINED = -2;
/** Per order: id, ts, source, order_id, customer_id, country, seller_id, currency, cancellation, line count. */
const ORDER_FIELDS = 10;
/** Per line: product_id, description, unit_price (table indexes), kind (index in LINE_KINDS); the quantity has a column of its own. */
const LINE_FIELDS = 4;

export interface EncodedOrders {
  kind: 'orders';
  strings: string[];
  orders: Int32Array;
  lines: Int32Array;
  quantities: Float64Array;
}

export type EncodedEvents = EncodedOrders | { kind: 'events'; events: StorepulseEvent[] };

export interface EncodedChunk extends Omit<ImportChunk, 'events'> {
  events: EncodedEvents;
}

export function encodeChunk(chunk: ImportChunk): { encoded: EncodedChunk; transfer: ArrayBuffer[] } {
  const { events, ...rest } = chunk;
  if (!events.every((event) => event.type === 'order')) return { encoded: { ...rest, events: { kind: 'events', events } }, transfer: [] };
  const orders = encodeOrders(events as OrderEvent[]);
  return { encoded: { ...rest, events: orders }, transfer: [orders.orders.buffer, orders.lines.buffer, orders.quantities.buffer] as ArrayBuffer[] };
}

export function decodeChunk({ events, problems, rowsRead, bytesRead, totalBytes }: EncodedChunk): ImportChunk {
  return { events: events.kind === 'orders' ? decodeOrders(events) : events.events, problems, rowsRead, bytesRead, totalBytes };
}

/**
 * The chunk's strings, most of them once. A product id is looked up once a line; its description
 * (long, and each row's is a new string) is compared with the product's first one instead of
 * hashed, and sent again only when it differs.
 */
class StringTable {
  readonly strings: string[] = [];
  private readonly indexes = new Map<string, number>();
  private readonly products = new Map<string, ProductStrings>();

  indexOf(value: string | undefined, present = false): number {
    if (value === undefined) return present ? UNDEFINED : ABSENT;
    let index = this.indexes.get(value);
    if (index === undefined) {
      index = this.add(value);
      this.indexes.set(value, index);
    }
    return index;
  }

  /** The product id's entry; its first description is kept with it (most lines of a product repeat it). */
  product(productId: string, description: string | undefined): ProductStrings {
    let product = this.products.get(productId);
    if (product === undefined) {
      const index = this.add(productId);
      product = description === undefined
        ? { index, description: undefined, descriptionIndex: ABSENT }
        : { index, description, descriptionIndex: this.add(description) };
      this.products.set(productId, product);
    }
    return product;
  }

  descriptionOf(product: ProductStrings, description: string | undefined, present: boolean): number {
    if (description === undefined) return present ? UNDEFINED : ABSENT;
    return description === product.description ? product.descriptionIndex : this.add(description);
  }

  add(value: string): number {
    this.strings.push(value);
    return this.strings.length - 1;
  }
}

interface ProductStrings {
  index: number;
  description: string | undefined;
  descriptionIndex: number;
}

function encodeOrders(events: OrderEvent[]): EncodedOrders {
  let lineTotal = 0;
  for (const order of events) lineTotal += order.lines.length;
  const table = new StringTable();
  const orders = new Int32Array(events.length * ORDER_FIELDS);
  const lines = new Int32Array(lineTotal * LINE_FIELDS);
  const quantities = new Float64Array(lineTotal);
  let orderAt = 0;
  let lineIndex = 0;
  for (const order of events) {
    // An order's id, ts and order_id are (nearly always) its own: added, not looked up.
    orders[orderAt] = table.add(order.id);
    orders[orderAt + 1] = table.add(order.ts);
    orders[orderAt + 2] = table.indexOf(order.source);
    orders[orderAt + 3] = table.add(order.order_id);
    orders[orderAt + 4] = table.indexOf(order.customer_id, 'customer_id' in order);
    orders[orderAt + 5] = table.indexOf(order.country, 'country' in order);
    orders[orderAt + 6] = table.indexOf(order.seller_id, 'seller_id' in order);
    orders[orderAt + 7] = table.indexOf(order.currency);
    orders[orderAt + 8] = order.cancellation ? 1 : 0;
    orders[orderAt + 9] = order.lines.length;
    orderAt += ORDER_FIELDS;
    for (const line of order.lines) {
      const at = lineIndex * LINE_FIELDS;
      const product = table.product(line.product_id, line.description);
      lines[at] = product.index;
      lines[at + 1] = table.descriptionOf(product, line.description, line.description === undefined && 'description' in line);
      lines[at + 2] = table.indexOf(line.unit_price);
      lines[at + 3] = kindCode(line.kind);
      quantities[lineIndex] = line.quantity;
      lineIndex += 1;
    }
  }
  return { kind: 'orders', strings: table.strings, orders, lines, quantities };
}

/** Builds each object with the keys the readers (and the zod schemas) give it, absent ones left out. */
function decodeOrders({ strings, orders, lines, quantities }: EncodedOrders): OrderEvent[] {
  const events = new Array<OrderEvent>(orders.length / ORDER_FIELDS);
  let lineIndex = 0;
  for (let orderIndex = 0; orderIndex < events.length; orderIndex += 1) {
    const at = orderIndex * ORDER_FIELDS;
    const orderLines = new Array<OrderLine>(orders[at + 9]);
    for (let index = 0; index < orderLines.length; index += 1) {
      const lineAt = lineIndex * LINE_FIELDS;
      const product_id = strings[lines[lineAt]];
      const unit_price = strings[lines[lineAt + 2]];
      const kind = LINE_KINDS[lines[lineAt + 3]];
      const quantity = quantities[lineIndex];
      const description = lines[lineAt + 1];
      orderLines[index] = description === ABSENT
        ? { product_id, quantity, unit_price, kind }
        : { product_id, description: description === UNDEFINED ? undefined : strings[description], quantity, unit_price, kind };
      lineIndex += 1;
    }
    const event = { id: strings[orders[at]], ts: strings[orders[at + 1]], source: strings[orders[at + 2]], type: 'order', order_id: strings[orders[at + 3]] } as OrderEvent;
    if (orders[at + 4] !== ABSENT) event.customer_id = textAt(strings, orders[at + 4]);
    if (orders[at + 5] !== ABSENT) event.country = textAt(strings, orders[at + 5]);
    if (orders[at + 6] !== ABSENT) event.seller_id = textAt(strings, orders[at + 6]);
    event.currency = strings[orders[at + 7]];
    event.cancellation = orders[at + 8] === 1;
    event.lines = orderLines;
    events[orderIndex] = event;
  }
  return events;
}

function textAt(strings: string[], index: number): string | undefined {
  return index === UNDEFINED ? undefined : strings[index];
}

function kindCode(kind: LineKind): number {
  return kind === 'product' ? 0 : LINE_KINDS.indexOf(kind);
}
