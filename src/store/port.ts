/**
 * The OLTP store port (DESIGN §4): catalog, inventory, customers, invoices, and the pipeline's own
 * records (dead letters, job runs, notifications, ingested files, attention counters).
 * Adapters: SQLite (embedded), PostgreSQL. Money crosses this port as decimal strings.
 */
import type { LineKind, StorepulseEvent } from '../events/schemas.js';

export interface ApplyResult {
  /** Ids written by this call. */
  applied: string[];
  /** Ids skipped because an earlier call already applied them (replay after a crash, re-import). */
  skipped: string[];
}

export interface ProductSummary {
  product_id: string;
  name: string;
  kind: LineKind;
  category: string | null;
  brand: string | null;
  seller_id: string | null;
  price: string | null;
  currency: string | null;
}

export interface ProductRecord extends ProductSummary {
  in_stock: number;
  details: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface InvoiceLine {
  line_no: number;
  product_id: string;
  description: string | null;
  quantity: number;
  unit_price: string;
  kind: LineKind;
  amount: string;
}

export interface InvoiceSummary {
  order_id: string;
  event_id: string;
  ts: string;
  customer_id: string | null;
  country: string | null;
  seller_id: string | null;
  currency: string;
  cancellation: boolean;
  line_count: number;
  total: string;
}

export interface Invoice extends InvoiceSummary {
  lines: InvoiceLine[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface DeadLetterInput {
  /** The event or raw payload that could not be taken. */
  payload: unknown;
  reason: string;
  /** Where it came from: "http", "import:<file>", "consumer". */
  origin: string;
  event_id?: string;
}

export interface DeadLetter extends DeadLetterInput {
  id: number;
  first_seen: string;
  last_seen: string;
  attempts: number;
}

export type JobStatus = 'running' | 'succeeded' | 'failed';

export interface JobRun {
  id: number;
  job: string;
  scheduled_for: string | null;
  started_at: string;
  ended_at: string | null;
  status: JobStatus;
  attempt: number;
  error: string | null;
  outputs: Record<string, unknown>;
}

export interface NotificationInput {
  job: string | null;
  level: 'info' | 'error';
  message: string;
  link?: string | null;
  /** Per channel: "sent", "failed: <reason>" (after retries). */
  deliveries: Record<string, string>;
}

export interface NotificationRecord extends NotificationInput {
  id: number;
  created_at: string;
}

export interface IngestedFile {
  sha256: string;
  name: string;
  format: string;
  rows: number;
  events: number;
  failed_rows: number;
  status: 'loaded' | 'failed';
  loaded_at: string;
}

export interface AttentionCounter {
  product_id: string;
  window_start: string;
  window_end: string;
  views: number;
  purchases: number;
}

export type QueryStatus = 'pending' | 'running' | 'done' | 'failed';

/** A user query (DESIGN §6 "query"): the order lines of one country in [from, to), exported to a CSV. */
export interface QueryRecord {
  /** URL-safe, unique ("q_…"). */
  id: string;
  /** ISO-8601 UTC instant, inclusive. */
  from: string;
  /** ISO-8601 UTC instant, exclusive. */
  to: string;
  country: string;
  status: QueryStatus;
  created_at: string;
  /** When it became done or failed; null before. */
  finished_at: string | null;
  /** Order lines written; null until done. */
  rows: number | null;
  /** Key of the CSV in the exports bucket ("queries/<id>.csv"); null until done. */
  object_key: string | null;
  /** Why it failed; null otherwise. */
  error: string | null;
}

export interface ApplyOptions {
  /**
   * The start of the hot window (ISO UTC; see hot-window.ts). An order dated before it still
   * counts for its customer, the stock and the catalog, and its id is applied, but its order and
   * line rows are not kept: the warehouse holds it, as it holds the orders the retention job prunes.
   */
  hotFrom?: string;
}

export interface Store {
  /** Applies validated events in one transaction, skipping ids already applied (idempotent). */
  applyEvents(events: StorepulseEvent[], options?: ApplyOptions): Promise<ApplyResult>;
  /**
   * Catalog entries for enrichment of facts (category, seller, kind); unknown ids are absent. An
   * entry is never changed once returned: a product that changes comes back as a new object (the
   * route step remembers facts per entry object).
   */
  productsByIds(productIds: string[]): Promise<Map<string, ProductSummary>>;
  getProduct(productId: string): Promise<ProductRecord | undefined>;
  listProducts(options: { limit: number; offset: number; search?: string }): Promise<Page<ProductSummary & { in_stock: number }>>;
  getInvoice(orderId: string): Promise<Invoice | undefined>;
  listInvoices(customerId: string, options: { limit: number; offset: number }): Promise<Page<InvoiceSummary>>;

  addDeadLetters(letters: DeadLetterInput[]): Promise<void>;
  listDeadLetters(options: { limit: number; offset: number }): Promise<Page<DeadLetter>>;
  getDeadLetter(id: number): Promise<DeadLetter | undefined>;
  deleteDeadLetter(id: number): Promise<void>;

  startJobRun(job: string, scheduledFor: string | null, attempt: number): Promise<JobRun>;
  finishJobRun(id: number, status: Exclude<JobStatus, 'running'>, error: string | null, outputs: Record<string, unknown>): Promise<JobRun>;
  listJobRuns(options: { job?: string; limit: number; offset: number }): Promise<Page<JobRun>>;

  addNotification(notification: NotificationInput): Promise<NotificationRecord>;
  listNotifications(options: { limit: number; offset: number }): Promise<Page<NotificationRecord>>;

  getIngestedFile(sha256: string): Promise<IngestedFile | undefined>;
  recordIngestedFile(file: Omit<IngestedFile, 'loaded_at'>): Promise<void>;

  /** Replaces the counters and the top list of one window (the attention job). */
  saveAttention(counters: AttentionCounter[], top: AttentionCounter[]): Promise<void>;
  /** The top list of the most recent window, ordered by views descending. */
  latestHighAttention(): Promise<AttentionCounter[]>;

  /** Inserts or replaces the query with this id. */
  saveQuery(query: QueryRecord): Promise<void>;
  getQuery(id: string): Promise<QueryRecord | undefined>;
  /** Newest first (created_at, then id, descending); only those with `status` when given. */
  listQueries(options: { status?: QueryStatus; limit: number; offset: number }): Promise<Page<QueryRecord>>;

  /** Deletes orders (and their lines) older than `before` from the hot store; returns how many. */
  pruneOrdersBefore(before: string): Promise<number>;

  close(): Promise<void>;
}
