/**
 * Test helper: the whole online-retail dataset as warehouse facts, built straight from the CSV so
 * the warehouse can be checked against known figures without the ingest path.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import Papa from 'papaparse';
import { moneyToUnits, normalizeMoney } from '../../src/events/money.js';
import { localDate, parseLocalTimestamp } from '../../src/events/time.js';
import type { LineKind } from '../../src/events/schemas.js';
import type { OrderFact } from '../../src/warehouse/port.js';

export const ONLINE_RETAIL_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/online-retail.csv.gz',
);

interface RetailRow {
  InvoiceNo: string;
  StockCode: string;
  Description: string;
  Quantity: string;
  InvoiceDate: string;
  UnitPrice: string;
  CustomerID: string;
  Country: string;
}

const FEE_CODES = new Set(['POST', 'DOT', 'C2', 'BANK CHARGES', 'AMAZONFEE', 'PADS']);
const ADJUSTMENT_CODES = new Set(['M', 'm', 'D', 'S', 'B', 'CRUK']);

export function retailLineKind(stockCode: string): LineKind {
  if (FEE_CODES.has(stockCode)) return 'fee';
  if (ADJUSTMENT_CODES.has(stockCode) || stockCode.startsWith('DCGS') || stockCode.startsWith('gift_0001_')) return 'adjustment';
  return 'product';
}

const prices = new Map<string, string>();
function normalizedPrice(text: string): string {
  let price = prices.get(text);
  if (price === undefined) prices.set(text, (price = normalizeMoney(text)));
  return price;
}

function customerId(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  return trimmed.endsWith('.0') ? trimmed.slice(0, -2) : trimmed;
}

export async function loadOnlineRetailFacts(timeZone = 'UTC'): Promise<OrderFact[]> {
  const orders = new Map<string, OrderFact>();
  const instants = new Map<string, { ts: string; day: string }>();
  const stream = createReadStream(ONLINE_RETAIL_FILE).pipe(createGunzip());
  await new Promise<void>((resolve, reject) => {
    Papa.parse<RetailRow>(stream, {
      header: true,
      skipEmptyLines: true,
      step: (result) => addRow(orders, result.data, instantOf),
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  return [...orders.values()];

  // Invoices repeat one timestamp on every line: parse each distinct text once.
  function instantOf(text: string): { ts: string; day: string } {
    let instant = instants.get(text);
    if (!instant) {
      const ts = parseLocalTimestamp(text, timeZone);
      instant = { ts, day: localDate(Date.parse(ts), timeZone) };
      instants.set(text, instant);
    }
    return instant;
  }
}

/** A row into its invoice's order fact (rows of one invoice need not be adjacent: 542806 is split). */
function addRow(orders: Map<string, OrderFact>, row: RetailRow, instantOf: (text: string) => { ts: string; day: string }): void {
  let order = orders.get(row.InvoiceNo);
  if (!order) {
    const { ts, day } = instantOf(row.InvoiceDate);
    order = {
      event_id: `retail:${row.InvoiceNo}`, order_id: row.InvoiceNo, ts, day, customer_id: customerId(row.CustomerID),
      country: row.Country.trim() || null, cancellation: row.InvoiceNo.startsWith('C'), currency: 'GBP', lines: [],
    };
    orders.set(row.InvoiceNo, order);
  }
  const quantity = Number(row.Quantity);
  const unitPrice = normalizedPrice(row.UnitPrice);
  order.lines.push({
    line_no: order.lines.length + 1,
    product: { product_id: row.StockCode, product_name: row.Description.trim() || null, category: null, kind: retailLineKind(row.StockCode), seller_id: null },
    quantity,
    unit_price_units: moneyToUnits(unitPrice),
  });
}
