/**
 * Stages order facts for DuckDB, normalized (see DUCKDB_STAGING_TABLES): an order's fields are
 * appended once, a line product's once, and the lines themselves, numbers only, go in whole data
 * chunks.
 */
import { endianness } from 'node:os';
import { DECIMAL, DuckDBDataChunk, INTEGER, duckdbBindings, type DuckDBAppender } from './duckdb-api.js';
import type { StagingAppenders } from './duckdb-staging-appenders.js';
import type { LineProductFact, OrderFact } from './port.js';

const CHUNK_ROWS = 2048;
/** order_no, line_no, product_no, quantity: int32 each (keys count rows; quantities are within ±10^9, the event schema). */
const INTEGER_COLUMNS = 4;
/** unit_price and amount: DECIMAL(18,4), whose values DuckDB holds as int64 counts of 10^-4, as money.ts counts units. */
const MONEY_COLUMNS = 2;
const LINE_TYPES = [...Array.from({ length: INTEGER_COLUMNS }, () => INTEGER), ...Array.from({ length: MONEY_COLUMNS }, () => DECIMAL(18, 4))];
const TWO_TO_32 = 2 ** 32;
/** Where an int64's low half is in memory, which DuckDB's vectors use as the host has it. */
const LOW_HALF = endianness() === 'LE' ? 0 : 1;

type OrderAppenders = Record<'orders' | 'products' | 'lines', DuckDBAppender>;

/**
 * Stages `orders` into the staging tables, each event once (a repeat later in the batch is left
 * out). Pass the same `numbering` to stage several batches before one insert (a bulk load); start a
 * new one whenever the staging tables are cleared. The rows reach the tables when `staging` is closed.
 */
export async function stageOrders(staging: StagingAppenders, orders: OrderFact[], numbering = new LineNumbering()): Promise<void> {
  if (orders.length === 0) return;
  const appenders: OrderAppenders = {
    orders: await staging.appender('stage_orders'),
    products: await staging.appender('stage_products'),
    lines: await staging.appender('stage_lines'),
  };
  appendOrders(appenders, numbering, orders);
}

/** The number of lines of `orders`. */
export function lineCount(orders: OrderFact[]): number {
  let lines = 0;
  for (const order of orders) lines += order.lines.length;
  return lines;
}

function appendOrders(appenders: OrderAppenders, numbering: LineNumbering, orders: OrderFact[]): void {
  numbering.appenders = appenders;
  const eventsSeen = new Set<string>();
  const chunk = new LineChunk(appenders.lines);
  for (const order of orders) {
    if (eventsSeen.has(order.event_id)) continue;
    eventsSeen.add(order.event_id);
    const orderNo = numbering.orderNo(order);
    for (const line of order.lines) {
      const amountUnits = line.quantity * line.unit_price_units;
      checkMoney(order, line.line_no, line.unit_price_units);
      checkMoney(order, line.line_no, amountUnits);
      chunk.add(orderNo, line.line_no, numbering.productNo(line.product), line.quantity, line.unit_price_units, amountUnits);
    }
  }
  chunk.flush();
}

function checkMoney(order: OrderFact, lineNo: number, units: number): void {
  if (!Number.isSafeInteger(units)) {
    throw new Error(`order ${order.order_id} (event ${order.event_id}) line ${lineNo}: the amount ${units} units is not exact as a number (beyond ±${Number.MAX_SAFE_INTEGER} units)`);
  }
}

/**
 * A data chunk's columns, filled in typed arrays and copied into the chunk's vectors in one call
 * each (a fresh vector's values are all valid): setColumnValues writes them one by one, with a
 * range check and a validity bit each.
 */
class LineChunk {
  private readonly integers = Array.from({ length: INTEGER_COLUMNS }, () => new Int32Array(CHUNK_ROWS));
  /** Each value as two int32 halves, in the host's order (an int64 in memory). */
  private readonly money = Array.from({ length: MONEY_COLUMNS }, () => new Int32Array(2 * CHUNK_ROWS));
  private rows = 0;

  constructor(private readonly appender: DuckDBAppender) {}

  add(orderNo: number, lineNo: number, productNo: number, quantity: number, unitPriceUnits: number, amountUnits: number): void {
    const row = this.rows;
    const [orderNos, lineNos, productNos, quantities] = this.integers;
    orderNos[row] = orderNo;
    lineNos[row] = lineNo;
    productNos[row] = productNo;
    quantities[row] = quantity;
    setInt64(this.money[0], row, unitPriceUnits);
    setInt64(this.money[1], row, amountUnits);
    this.rows = row + 1;
    if (this.rows === CHUNK_ROWS) this.flush();
  }

  flush(): void {
    const { rows } = this;
    if (rows === 0) return;
    const chunk = DuckDBDataChunk.create(LINE_TYPES, rows);
    const columns = [...this.integers, ...this.money];
    columns.forEach((values, index) => {
      const bytes = rows * (index < INTEGER_COLUMNS ? 4 : 8);
      duckdbBindings.copy_data_to_vector(duckdbBindings.data_chunk_get_vector(chunk.chunk, index), 0, values.buffer as ArrayBuffer, values.byteOffset, bytes);
    });
    this.appender.appendDataChunk(chunk);
    this.rows = 0;
  }
}

/** A safe integer into two int32 halves: ToInt32 keeps the low 32 bits, floor division the rest (two's complement). */
function setInt64(halves: Int32Array, row: number, value: number): void {
  halves[2 * row + LOW_HALF] = value | 0;
  halves[2 * row + 1 - LOW_HALF] = Math.floor(value / TWO_TO_32);
}

/** Numbers orders and line products as they first occur, appending each one once. */
export class LineNumbering {
  /** Where new orders and products go: the appenders of the staging call in progress. */
  appenders!: Record<'orders' | 'products', DuckDBAppender>;
  private orderCount = 0;
  /** Line products seen, by identity: the route step shares one among lines of a product (steps.ts). */
  private readonly productObjects = new Map<LineProductFact, number>();
  /** Per product id, its variants (name, category, kind, seller) seen, each with its number. */
  private readonly products = new Map<string, { product: LineProductFact; productNo: number }[]>();
  private productCount = 0;

  orderNo(order: OrderFact): number {
    const orderNo = this.orderCount;
    this.orderCount += 1;
    appendOrder(this.appenders.orders, orderNo, order);
    return orderNo;
  }

  productNo(product: LineProductFact): number {
    let productNo = this.productObjects.get(product);
    if (productNo === undefined) {
      productNo = this.variantNo(product);
      this.productObjects.set(product, productNo);
    }
    return productNo;
  }

  private variantNo(product: LineProductFact): number {
    let variants = this.products.get(product.product_id);
    if (!variants) this.products.set(product.product_id, (variants = []));
    for (const variant of variants) {
      if (sameProduct(variant.product, product)) return variant.productNo;
    }
    const productNo = this.productCount;
    this.productCount += 1;
    variants.push({ product, productNo });
    appendProduct(this.appenders.products, productNo, product);
    return productNo;
  }
}

function sameProduct(a: LineProductFact, b: LineProductFact): boolean {
  return a.product_name === b.product_name && a.category === b.category && a.kind === b.kind && a.seller_id === b.seller_id;
}

function appendOrder(appender: DuckDBAppender, orderNo: number, order: OrderFact): void {
  appender.appendInteger(orderNo);
  appender.appendVarchar(order.event_id);
  appender.appendVarchar(order.order_id);
  appender.appendVarchar(order.ts);
  appender.appendVarchar(order.day);
  appendText(appender, order.customer_id);
  appendText(appender, order.country);
  appender.appendBoolean(order.cancellation);
  appender.appendVarchar(order.currency);
  appender.endRow();
}

function appendProduct(appender: DuckDBAppender, productNo: number, product: LineProductFact): void {
  appender.appendInteger(productNo);
  appender.appendVarchar(product.product_id);
  appendText(appender, product.product_name);
  appendText(appender, product.category);
  appender.appendVarchar(product.kind);
  appendText(appender, product.seller_id);
  appender.endRow();
}

export function appendText(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}
