/**
 * Diskovery daily sales JSON (an array of {order_id, product_id, quantity, price, revenue, date})
 * → one `order` event per record. The files are small daily exports, parsed whole; a large
 * feed belongs in NDJSON, which streams.
 */
import { contentId } from '../../events/ids.js';
import { MoneyError, moneyToUnits, normalizeMoney } from '../../events/money.js';
import { checkEvent } from '../../events/schemas.js';
import { TimeError, parseLocalTimestamp } from '../../events/time.js';
import { ChunkCollector } from './chunks.js';
import { arrayElementLines, lineOfParseError } from './json-positions.js';
import { decodeText } from './lines.js';
import { readAll } from './source.js';
import { IMPORT_SOURCE, type ImportChunk, type ReadOptions } from './types.js';

const FIELDS = ['order_id', 'product_id', 'quantity', 'price', 'revenue', 'date'] as const;
type SaleField = (typeof FIELDS)[number];
type Sale = Record<SaleField, unknown>;

/** Where the record starts and what to call it in a problem. */
interface RecordPlace { index: number; line: number | undefined }
class SaleProblem extends Error {
  constructor(readonly field: string, reason: string) { super(reason); }
}

export async function* readDiskoverySales(file: string, options: ReadOptions): AsyncGenerator<ImportChunk> {
  const { content, totalBytes } = await readAll(file);
  const out = new ChunkCollector(options.name, { totalBytes, bytesRead: () => totalBytes }, options.chunkEvents);
  const text = decodeText(content);
  let records: unknown;
  try {
    records = JSON.parse(text);
  } catch (error) {
    out.addProblem(lineOfParseError(text, error as Error) ?? 1, '(file)', `is not valid JSON: ${(error as Error).message}`);
    yield out.take();
    return;
  }
  if (!Array.isArray(records)) {
    out.addProblem(1, '(file)', 'is not a JSON array of sales records');
    yield out.take();
    return;
  }
  const lines = arrayElementLines(text);
  const seenIds = new Map<string, number>();
  for (let index = 0; index < records.length; index++) {
    out.rowsRead++;
    const place: RecordPlace = { index, line: lines.length === records.length ? lines[index] : undefined };
    try {
      const event = saleEvent(records[index], options);
      const earlier = seenIds.get(event.id);
      if (earlier !== undefined) throw new SaleProblem('date', `repeats record ${earlier} (same order_id and date), so it would be the same order`);
      seenIds.set(event.id, index);
      out.addEvent(event);
    } catch (error) {
      if (!(error instanceof SaleProblem)) throw error;
      addRecordProblem(out, place, error.field, error.message, records[index]);
    }
    if (out.isFull) yield out.take();
  }
  yield out.take();
}

function addRecordProblem(out: ChunkCollector, place: RecordPlace, field: string, reason: string, record: unknown): void {
  const excerpt = JSON.stringify(record) ?? String(record);
  if (place.line === undefined) out.addProblem(place.index, `${field} (line is the record index)`, reason, excerpt);
  else out.addProblem(place.line, field, `record ${place.index}: ${reason}`, excerpt);
}

function saleEvent(record: unknown, options: ReadOptions) {
  if (!record || typeof record !== 'object' || Array.isArray(record)) throw new SaleProblem('(record)', 'is not an object');
  const sale = record as Sale;
  for (const field of FIELDS) if (sale[field] === undefined || sale[field] === null) throw new SaleProblem(field, 'is missing');
  const orderId = identifierOf(sale, 'order_id');
  const date = sale.date;
  if (typeof date !== 'string') throw new SaleProblem('date', `${JSON.stringify(date)} is not a date-time text`);
  const ts = attempt('date', () => parseLocalTimestamp(date, options.timeZone));
  const quantity = sale.quantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity)) throw new SaleProblem('quantity', `${JSON.stringify(quantity)} is not an integer`);
  const price = amountOf(sale, 'price');
  const revenue = amountOf(sale, 'revenue');
  if (quantity * moneyToUnits(price) !== moneyToUnits(revenue)) {
    throw new SaleProblem('revenue', `is ${revenue} but quantity × price is ${quantity} × ${price}`);
  }
  const raw = {
    id: contentId('diskovery', orderId, date), type: 'order', ts, source: IMPORT_SOURCE, order_id: orderId, currency: options.currency,
    lines: [{ product_id: identifierOf(sale, 'product_id'), quantity, unit_price: price }],
  };
  const check = checkEvent(raw, 0);
  if (!check.ok) throw new SaleProblem(saleFieldOf(check.problem.field), check.problem.reason);
  return check.event;
}

function identifierOf(sale: Sale, field: 'order_id' | 'product_id'): string {
  const value = sale[field];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  throw new SaleProblem(field, `${JSON.stringify(value)} is not an id`);
}

/** Exporters that compute in floating point write 59.970000000000006; amounts have at most 4 decimals. */
function amountOf(sale: Sale, field: 'price' | 'revenue'): string {
  const value = sale[field];
  if (typeof value !== 'number' && typeof value !== 'string') throw new SaleProblem(field, `${JSON.stringify(value)} is not an amount`);
  const rounded = typeof value === 'number' ? Math.round(value * 10_000) / 10_000 : value;
  const amount = typeof value === 'number' && Math.abs(value - (rounded as number)) < 1e-6 ? rounded : value;
  return attempt(field, () => normalizeMoney(amount));
}

function attempt<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof MoneyError || error instanceof TimeError) throw new SaleProblem(field, error.message);
    throw error;
  }
}

const EVENT_FIELD_TO_SALE: Record<string, string> = {
  ts: 'date', order_id: 'order_id', 'lines.0.product_id': 'product_id', 'lines.0.quantity': 'quantity', 'lines.0.unit_price': 'price',
};
function saleFieldOf(eventField: string): string {
  return EVENT_FIELD_TO_SALE[eventField] ?? eventField;
}
