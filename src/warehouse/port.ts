/**
 * The analytical warehouse port (DESIGN §4–5): append-only facts and the KPI catalog.
 * Adapters: DuckDB (embedded), ClickHouse. Facts are idempotent by event id.
 */
import type { LineKind } from '../events/schemas.js';
import type { Invoice, InvoiceSummary, Page } from '../store/port.js';

/**
 * One order's lines, denormalized with the dimensions KPIs filter on. The warehouse stores a row
 * per line with the order's fields repeated; the batch carries those fields once per order.
 */
export interface OrderFact {
  event_id: string;
  order_id: string;
  /** ISO UTC instant. */
  ts: string;
  /** Calendar date in the shop's time zone (YYYY-MM-DD). */
  day: string;
  customer_id: string | null;
  country: string | null;
  cancellation: boolean;
  currency: string;
  lines: OrderLineFact[];
}

export interface OrderLineFact {
  /** 1, 2, … within the order. */
  line_no: number;
  product: LineProductFact;
  quantity: number;
  /**
   * Exact: an integer of 10^-MONEY_SCALE currency units (src/events/money.ts). The line's amount is
   * quantity × unit_price_units, which the warehouse computes (kept as a field, it was a boxed
   * number on every line whose amount passes 2^30 units, and so on every line after that one).
   */
  unit_price_units: number;
}

/**
 * The product of a line as KPIs see it. Lines with the same product, kind and seller may share one
 * object, in a batch and across batches (the route step makes them so), which the warehouse then
 * reads once.
 */
export interface LineProductFact {
  product_id: string;
  product_name: string | null;
  category: string | null;
  kind: LineKind;
  /** The order's seller, else the product's. */
  seller_id: string | null;
}

export interface ViewFact {
  event_id: string;
  ts: string;
  day: string;
  product_id: string;
  category: string | null;
  seller_id: string | null;
  session_id: string | null;
  customer_id: string | null;
  country: string | null;
  location: string | null;
}

export interface CartAddFact {
  event_id: string;
  ts: string;
  day: string;
  product_id: string;
  category: string | null;
  seller_id: string | null;
  session_id: string | null;
  quantity: number;
}

export interface ProbeFact {
  event_id: string;
  ts: string;
  day: string;
  location: string;
  target: string;
  ok: boolean;
  status: number | null;
  latency_ms: number;
}

export interface FactBatch {
  orders: OrderFact[];
  views: ViewFact[];
  cartAdds: CartAddFact[];
  probes: ProbeFact[];
}

export interface AppendFactsResult {
  /** Event ids whose facts were written by this call. */
  applied: number;
  /** Event ids already in the warehouse (replays): nothing written for them. */
  skipped: number;
}

/** Resolved KPI parameters: a half-open instant range [fromMs, toMs) plus optional filters. */
export interface KpiQuery {
  fromMs: number;
  toMs: number;
  country?: string;
  seller?: string;
  limit: number;
}

export type KpiRow = Record<string, string | number | boolean | null>;

export interface KpiResult {
  kpi: string;
  columns: KpiColumn[];
  rows: KpiRow[];
}

export interface KpiColumn {
  name: string;
  /** money: number rounded to cents (summed exactly in the engine); ratio: 0..1. */
  type: 'text' | 'integer' | 'money' | 'number' | 'ratio' | 'date';
  label: string;
}

/** A filter for bulk extracts (country split, user queries, lake). */
export interface FactFilter {
  fromMs?: number;
  toMs?: number;
  country?: string;
}

export type FactTable = 'order_lines' | 'views' | 'cart_adds' | 'probes';

/**
 * A bulk load (file imports): batches are staged in the engine and written in large transactions,
 * far cheaper per row than appendFacts. Idempotent by event id like appendFacts. What is written
 * becomes visible at the engine's own commits during the load; an interrupted load leaves whole
 * events only, and loading the same events again completes it.
 */
export interface WarehouseBulkLoad {
  append(batch: FactBatch): Promise<void>;
  /** Writes what is still staged and ends the load. */
  finish(): Promise<void>;
  /** Ends the load, dropping what is staged and not yet written. */
  abort(): Promise<void>;
}

export interface AppendFactsOptions {
  /**
   * The batch's event ids that may have been written before. The pipeline writes the warehouse
   * only after the store has applied an event, so an id the store applied just now for the first
   * time cannot be here yet: only the ones it had applied already (a replay) need looking up, which
   * spares the adapter a search of every id ever applied on each batch. Without it, every id is
   * looked up.
   */
  mayBeWritten?: ReadonlySet<string>;
}

export interface Warehouse {
  appendFacts(batch: FactBatch, options?: AppendFactsOptions): Promise<AppendFactsResult>;
  openBulkLoad(): Promise<WarehouseBulkLoad>;
  runKpi(name: string, query: KpiQuery): Promise<KpiResult>;
  /** Views of one product with ts in [sinceMs, untilMs): the live 4-hour counter. */
  countViews(productId: string, sinceMs: number, untilMs: number): Promise<number>;
  /** Views and purchases (net units on product lines) per product in a window, by views descending. */
  attentionCounts(fromMs: number, toMs: number): Promise<{ product_id: string; views: number; purchases: number }[]>;
  /** Writes the matching facts of one table to a file (CSV with header, or Parquet); returns the row count. */
  exportFacts(table: FactTable, filter: FactFilter, file: string, format: 'csv' | 'parquet'): Promise<number>;
  /**
   * One invoice by number from the facts, the latest when the number repeats. The store answers
   * for the hot window; older invoices are here only (the warehouse keeps every order).
   */
  getInvoice(orderId: string): Promise<Invoice | undefined>;
  /** A customer's invoices, newest first, over the whole history. */
  listInvoices(customerId: string, paging: { limit: number; offset: number }): Promise<Page<InvoiceSummary>>;
  /** Distinct non-empty countries of order lines, for exports and validation of user queries. */
  countries(): Promise<string[]>;
  close(): Promise<void>;
}
