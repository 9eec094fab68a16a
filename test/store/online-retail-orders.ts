/**
 * Test helper: the real online-retail file (../shared/data/online-retail.csv.gz) as order events,
 * one per InvoiceNo, shaped as the ingest path produces them. Deliberately small: the ingest
 * engineers own the real parser; this only feeds store tests and measurements.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { normalizeMoney } from '../../src/events/money.js';
import type { LineKind, OrderEvent } from '../../src/events/schemas.js';

export const ONLINE_RETAIL_FILE = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/data/online-retail.csv.gz');

const FEES = /^(POST|DOT|M|m|C2|D|S|BANK CHARGES|AMAZONFEE|CRUK|PADS|DCGS.*|gift_0001_.*)$/;

function lineKind(stockCode: string): LineKind {
  if (stockCode === 'B') return 'adjustment';
  return FEES.test(stockCode) ? 'fee' : 'product';
}

type Row = [invoice: string, stockCode: string, description: string, quantity: string, date: string, unitPrice: string,
  customer: string, country: string];

export function loadOnlineRetailOrders(file = ONLINE_RETAIL_FILE): OrderEvent[] {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const rows = Papa.parse<Row>(text, { skipEmptyLines: true }).data.slice(1);
  const orders = new Map<string, OrderEvent>();
  for (const [invoice, stockCode, description, quantity, date, unitPrice, customer, country] of rows) {
    let order = orders.get(invoice);
    if (!order) {
      order = {
        id: `retail:${invoice}`, type: 'order', ts: `${date.replace(' ', 'T')}.000Z`, source: 'online-retail',
        order_id: invoice, customer_id: customer ? customer.replace(/\.0$/, '') : undefined, country: country || undefined,
        seller_id: undefined, currency: 'GBP', cancellation: invoice.startsWith('C'), lines: [],
      };
      orders.set(invoice, order);
    }
    order.lines.push({
      product_id: stockCode, description: description || undefined, quantity: Number(quantity),
      unit_price: normalizeMoney(unitPrice), kind: lineKind(stockCode),
    });
  }
  return [...orders.values()];
}
