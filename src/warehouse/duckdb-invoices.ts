/**
 * Invoices from the order-line facts: the warehouse holds every order, the store only those of
 * the hot window (hot-window.ts), so lookups of older invoices and a customer's whole list are
 * answered here. A line's description is the product's catalog name (the facts keep no other).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatMoneyUnits, moneyToUnits } from '../events/money.js';
import type { LineKind } from '../events/schemas.js';
import type { Invoice, InvoiceSummary, Page } from '../store/port.js';

// Order numbers may repeat across sources (Diskovery reuses O000–O999 daily): the latest wins, as in the store.
const INVOICE_LINES = `
  SELECT event_id, order_id, epoch_ms(ts) AS ts_ms, customer_id, country, seller_id, currency, cancellation,
    line_no, product_id, product_name, kind, quantity, unit_price::VARCHAR AS unit_price, amount::VARCHAR AS amount
  FROM order_lines
  WHERE event_id = (SELECT event_id FROM order_lines WHERE order_id = $order_id ORDER BY ts DESC, event_id DESC LIMIT 1)
  ORDER BY line_no`;

const CUSTOMER_INVOICES = `
  SELECT event_id, any_value(order_id) AS order_id, epoch_ms(any_value(ts)) AS ts_ms, any_value(customer_id) AS customer_id,
    any_value(country) AS country, any_value(seller_id) AS seller_id, any_value(currency) AS currency,
    bool_or(cancellation) AS cancellation, count(*) AS line_count, sum(amount)::VARCHAR AS total
  FROM order_lines WHERE customer_id = $customer_id
  GROUP BY event_id ORDER BY ts_ms DESC, event_id DESC LIMIT $limit OFFSET $offset`;

const CUSTOMER_INVOICE_COUNT = 'SELECT count(DISTINCT event_id) AS invoices FROM order_lines WHERE customer_id = $customer_id';

type Row = Record<string, unknown>;

export async function invoiceFromDuckDb(connection: DuckDBConnection, orderId: string): Promise<Invoice | undefined> {
  const rows = (await connection.runAndReadAll(INVOICE_LINES, { order_id: orderId })).getRowObjectsJson() as Row[];
  if (rows.length === 0) return undefined;
  let totalUnits = 0;
  const lines = rows.map((row) => {
    const amountUnits = moneyToUnits(String(row.amount));
    totalUnits += amountUnits;
    return {
      line_no: Number(row.line_no), product_id: String(row.product_id), description: textOrNull(row.product_name),
      quantity: Number(row.quantity), unit_price: decimal(row.unit_price), kind: String(row.kind) as LineKind, amount: formatMoneyUnits(amountUnits),
    };
  });
  return { ...summaryOf({ ...rows[0], line_count: rows.length, total: formatMoneyUnits(totalUnits) }), lines };
}

export async function customerInvoicesFromDuckDb(
  connection: DuckDBConnection, customerId: string, paging: { limit: number; offset: number },
): Promise<Page<InvoiceSummary>> {
  const rows = (await connection.runAndReadAll(CUSTOMER_INVOICES, { customer_id: customerId, limit: paging.limit, offset: paging.offset }))
    .getRowObjectsJson() as Row[];
  const [count] = (await connection.runAndReadAll(CUSTOMER_INVOICE_COUNT, { customer_id: customerId })).getRowObjectsJson() as Row[];
  return { items: rows.map(summaryOf), total: Number(count.invoices), limit: paging.limit, offset: paging.offset };
}

function summaryOf(row: Row): InvoiceSummary {
  return {
    order_id: String(row.order_id), event_id: String(row.event_id), ts: new Date(Number(row.ts_ms)).toISOString(),
    customer_id: textOrNull(row.customer_id), country: textOrNull(row.country), seller_id: textOrNull(row.seller_id),
    currency: String(row.currency), cancellation: row.cancellation === true, line_count: Number(row.line_count), total: decimal(row.total),
  };
}

/** DuckDB prints DECIMAL(18,4) with four places; the store's form drops trailing zeros past the cents. */
function decimal(value: unknown): string {
  return formatMoneyUnits(moneyToUnits(String(value)));
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
