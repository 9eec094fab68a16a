/**
 * Test helper: the whole online-retail dataset as warehouse facts, built straight from the CSV so
 * the warehouse can be checked against known figures without the ingest path.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import Papa from 'papaparse';
import { formatMoneyUnits, moneyToUnits, normalizeMoney } from '../../src/events/money.js';
import { localDate, parseLocalTimestamp } from '../../src/events/time.js';
import type { LineKind } from '../../src/events/schemas.js';
import type { OrderLineFact } from '../../src/warehouse/port.js';

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

export async function loadOnlineRetailFacts(timeZone = 'UTC'): Promise<OrderLineFact[]> {
  const facts: OrderLineFact[] = [];
  const lineCounts = new Map<string, number>();
  const instants = new Map<string, { ts: string; day: string }>();
  const stream = createReadStream(ONLINE_RETAIL_FILE).pipe(createGunzip());
  await new Promise<void>((resolve, reject) => {
    Papa.parse<RetailRow>(stream, {
      header: true,
      skipEmptyLines: true,
      step: (result) => facts.push(toFact(result.data, lineCounts, instantOf)),
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  return facts;

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

function toFact(
  row: RetailRow, lineCounts: Map<string, number>, instantOf: (text: string) => { ts: string; day: string },
): OrderLineFact {
  const lineNo = (lineCounts.get(row.InvoiceNo) ?? 0) + 1;
  lineCounts.set(row.InvoiceNo, lineNo);
  const { ts, day } = instantOf(row.InvoiceDate);
  const quantity = Number(row.Quantity);
  const unitPrice = normalizedPrice(row.UnitPrice);
  return {
    event_id: `retail:${row.InvoiceNo}`,
    order_id: row.InvoiceNo,
    line_no: lineNo,
    ts,
    day,
    customer_id: customerId(row.CustomerID),
    country: row.Country.trim() || null,
    seller_id: null,
    product_id: row.StockCode,
    product_name: row.Description.trim() || null,
    category: null,
    kind: retailLineKind(row.StockCode),
    cancellation: row.InvoiceNo.startsWith('C'),
    quantity,
    unit_price: unitPrice,
    amount: formatMoneyUnits(moneyToUnits(unitPrice) * quantity),
    currency: 'GBP',
  };
}
