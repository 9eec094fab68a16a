/**
 * Stages order facts for DuckDB, normalized (see DUCKDB_STAGING_TABLES): an order's fields are
 * appended once, text values that repeat across lines (the product's, amounts) once each, and the
 * lines themselves, integers only, go in whole data chunks.
 */
import { DuckDBDataChunk, INTEGER, duckdbBindings, type DuckDBAppender } from './duckdb-api.js';
import type { StagingAppenders } from './duckdb-staging-appenders.js';
import type { OrderFact, OrderLineFact } from './port.js';

const CHUNK_ROWS = 2048;
const LINE_COLUMNS = 6;

type OrderAppenders = Record<'orders' | 'products' | 'money' | 'lines', DuckDBAppender>;

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
    money: await staging.appender('stage_money'),
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
  // Every value is an int32: keys count rows, and quantities are within ±1,000,000,000 (the event schema).
  const columns = Array.from({ length: LINE_COLUMNS }, () => new Int32Array(CHUNK_ROWS));
  let rows = 0;
  for (const order of orders) {
    if (eventsSeen.has(order.event_id)) continue;
    eventsSeen.add(order.event_id);
    const orderNo = numbering.orderNo(order);
    for (const line of order.lines) {
      columns[0][rows] = orderNo;
      columns[1][rows] = line.line_no;
      columns[2][rows] = numbering.productNo(line);
      columns[3][rows] = line.quantity;
      columns[4][rows] = numbering.moneyNo(line.unit_price);
      columns[5][rows] = numbering.moneyNo(line.amount);
      rows += 1;
      if (rows === CHUNK_ROWS) {
        appendChunk(appenders.lines, columns, rows);
        rows = 0;
      }
    }
  }
  if (rows > 0) appendChunk(appenders.lines, columns, rows);
}

/**
 * The columns go into the chunk's vectors in one copy each (a fresh vector's values are all
 * valid): setColumnValues writes them one by one, with a range check and a validity bit each.
 */
function appendChunk(appender: DuckDBAppender, columns: Int32Array[], rows: number): void {
  const chunk = DuckDBDataChunk.create(columns.map(() => INTEGER), rows);
  columns.forEach((values, index) => {
    duckdbBindings.copy_data_to_vector(duckdbBindings.data_chunk_get_vector(chunk.chunk, index), 0, values.buffer as ArrayBuffer, values.byteOffset, rows * Int32Array.BYTES_PER_ELEMENT);
  });
  appender.appendDataChunk(chunk);
}

/** Numbers orders, products and amounts as they first occur, appending each one once. */
export class LineNumbering {
  /** Where new orders, products and amounts go: the appenders of the staging call in progress. */
  appenders!: Record<'orders' | 'products' | 'money', DuckDBAppender>;
  private orderCount = 0;
  /** Per product id, its variants (name, category, kind, seller) seen, each with its number. */
  private readonly products = new Map<string, { line: OrderLineFact; productNo: number }[]>();
  private productCount = 0;
  private readonly money = new Map<string, number>();

  orderNo(order: OrderFact): number {
    const orderNo = this.orderCount;
    this.orderCount += 1;
    appendOrder(this.appenders.orders, orderNo, order);
    return orderNo;
  }

  productNo(line: OrderLineFact): number {
    let variants = this.products.get(line.product_id);
    if (!variants) this.products.set(line.product_id, (variants = []));
    for (const variant of variants) {
      if (sameProduct(variant.line, line)) return variant.productNo;
    }
    const productNo = this.productCount;
    this.productCount += 1;
    variants.push({ line, productNo });
    appendProduct(this.appenders.products, productNo, line);
    return productNo;
  }

  moneyNo(amount: string): number {
    let moneyNo = this.money.get(amount);
    if (moneyNo === undefined) {
      moneyNo = this.money.size;
      this.money.set(amount, moneyNo);
      this.appenders.money.appendInteger(moneyNo);
      this.appenders.money.appendVarchar(amount);
      this.appenders.money.endRow();
    }
    return moneyNo;
  }
}

function sameProduct(a: OrderLineFact, b: OrderLineFact): boolean {
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

function appendProduct(appender: DuckDBAppender, productNo: number, line: OrderLineFact): void {
  appender.appendInteger(productNo);
  appender.appendVarchar(line.product_id);
  appendText(appender, line.product_name);
  appendText(appender, line.category);
  appender.appendVarchar(line.kind);
  appendText(appender, line.seller_id);
  appender.endRow();
}

export function appendText(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}
