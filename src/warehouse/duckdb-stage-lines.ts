/**
 * Stages order-line facts for DuckDB, normalized (see DUCKDB_STAGING_TABLES): text values that
 * repeat across lines (the order's, the product's, amounts) are appended once each, and the lines
 * themselves, integers only, go in whole data chunks.
 */
import { DuckDBDataChunk, INTEGER, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { OrderLineFact } from './port.js';

const CHUNK_ROWS = 2048;
const LINE_COLUMNS = 6;

/**
 * Stages `lines` into the staging tables. Pass the same `numbering` to stage several batches into
 * staging before one insert (a bulk load); start a new one whenever the staging tables are cleared.
 */
export async function stageOrderLines(connection: DuckDBConnection, lines: OrderLineFact[], numbering = new LineNumbering()): Promise<void> {
  if (lines.length === 0) return;
  const appenders = {
    orders: await connection.createAppender('stage_orders', 'main', 'temp'),
    products: await connection.createAppender('stage_products', 'main', 'temp'),
    money: await connection.createAppender('stage_money', 'main', 'temp'),
    lines: await connection.createAppender('stage_lines', 'main', 'temp'),
  };
  try {
    appendLines(appenders, numbering, lines);
  } catch (error) {
    for (const appender of Object.values(appenders)) discardAppender(appender);
    throw error;
  }
  for (const appender of Object.values(appenders)) appender.closeSync();
}

function appendLines(appenders: Record<'orders' | 'products' | 'money' | 'lines', DuckDBAppender>, numbering: LineNumbering, lines: OrderLineFact[]): void {
  numbering.appenders = appenders;
  const repeats = repeatedLines(lines);
  const columns = Array.from({ length: LINE_COLUMNS }, () => new Array<number>(CHUNK_ROWS));
  let rows = 0;
  for (let index = 0; index < lines.length; index += 1) {
    if (repeats.has(index)) continue;
    const line = lines[index];
    columns[0][rows] = numbering.orderNo(line);
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
  if (rows > 0) appendChunk(appenders.lines, columns, rows);
}

/** Drops what an appender buffered, so a failed batch leaves nothing behind to flush later. */
export function discardAppender(appender: DuckDBAppender): void {
  try {
    appender.clear();
    appender.closeSync();
  } catch {
    // The appender already failed; the transaction is rolled back by the caller.
  }
}

/**
 * Indexes of lines that repeat an (event, line number) seen earlier in the batch: the same event
 * twice in one flush is written once. Only suspect events are checked line by line (those whose
 * lines come in several runs, or not in increasing line order), so the usual batch costs one
 * comparison per line.
 */
function repeatedLines(lines: OrderLineFact[]): Set<number> {
  const eventsSeen = new Set<string>();
  const suspectEvents = new Set<string>();
  let previous: OrderLineFact | undefined;
  for (const line of lines) {
    if (previous && line.event_id === previous.event_id) {
      if (line.line_no <= previous.line_no) suspectEvents.add(line.event_id);
    } else {
      if (eventsSeen.has(line.event_id)) suspectEvents.add(line.event_id);
      eventsSeen.add(line.event_id);
    }
    previous = line;
  }
  const repeats = new Set<number>();
  if (suspectEvents.size === 0) return repeats;
  const linesSeen = new Set<string>();
  lines.forEach((line, index) => {
    if (!suspectEvents.has(line.event_id)) return;
    const key = `${line.event_id}\u0000${line.line_no}`;
    if (linesSeen.has(key)) repeats.add(index);
    linesSeen.add(key);
  });
  return repeats;
}

function appendChunk(appender: DuckDBAppender, columns: number[][], rows: number): void {
  const chunk = DuckDBDataChunk.create(columns.map(() => INTEGER), rows);
  columns.forEach((values, index) => chunk.setColumnValues(index, rows === values.length ? values : values.slice(0, rows)));
  appender.appendDataChunk(chunk);
}

/** Numbers orders, products and amounts as they first occur, appending each one once. */
export class LineNumbering {
  /** Where new orders, products and amounts go: the appenders of the staging call in progress. */
  appenders!: Record<'orders' | 'products' | 'money', DuckDBAppender>;
  private currentOrder: OrderLineFact | undefined;
  private currentOrderNo = -1;
  /** Per product id, its variants (name, category, kind) seen in the batch, each with its number. */
  private readonly products = new Map<string, { line: OrderLineFact; productNo: number }[]>();
  private productCount = 0;
  private readonly money = new Map<string, number>();

  orderNo(line: OrderLineFact): number {
    if (!this.currentOrder || !sameOrder(this.currentOrder, line)) {
      this.currentOrder = line;
      this.currentOrderNo += 1;
      appendOrder(this.appenders.orders, this.currentOrderNo, line);
    }
    return this.currentOrderNo;
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

function sameOrder(a: OrderLineFact, b: OrderLineFact): boolean {
  return a.event_id === b.event_id && a.order_id === b.order_id && a.ts === b.ts && a.day === b.day
    && a.customer_id === b.customer_id && a.country === b.country && a.seller_id === b.seller_id
    && a.cancellation === b.cancellation && a.currency === b.currency;
}

function sameProduct(a: OrderLineFact, b: OrderLineFact): boolean {
  return a.product_name === b.product_name && a.category === b.category && a.kind === b.kind;
}

function appendOrder(appender: DuckDBAppender, orderNo: number, line: OrderLineFact): void {
  appender.appendInteger(orderNo);
  appender.appendVarchar(line.event_id);
  appender.appendVarchar(line.order_id);
  appender.appendVarchar(line.ts);
  appender.appendVarchar(line.day);
  appendText(appender, line.customer_id);
  appendText(appender, line.country);
  appendText(appender, line.seller_id);
  appender.appendBoolean(line.cancellation);
  appender.appendVarchar(line.currency);
  appender.endRow();
}

function appendProduct(appender: DuckDBAppender, productNo: number, line: OrderLineFact): void {
  appender.appendInteger(productNo);
  appender.appendVarchar(line.product_id);
  appendText(appender, line.product_name);
  appendText(appender, line.category);
  appender.appendVarchar(line.kind);
  appender.endRow();
}

export function appendText(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}
