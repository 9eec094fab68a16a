import { createHash } from 'node:crypto';
/**
 * Diskovery products CSV (`_id,name,price,type,storage,storage_unit,manufacturer,…`) → one
 * `product` event per row: category = type, brand = manufacturer, every column but _id, name and
 * price kept in details (numbers as numbers, units beside them as in the file).
 */
import { contentId } from '../../events/ids.js';
import { type ProductEvent, checkEvent } from '../../events/schemas.js';
import { ChunkCollector } from './chunks.js';
import { splitCsvLine } from './csv-line.js';
import { decodeText } from './lines.js';
import { readAll } from './source.js';
import { IMPORT_SOURCE, type ImportChunk, type ReadOptions } from './types.js';

/** A catalog row has no time of its own; a fixed one keeps the event identical on every re-import. */
export const CATALOG_TIMESTAMP = '2000-01-01T00:00:00.000Z';
const REQUIRED_COLUMNS = ['_id', 'name', 'price'];
const NUMBER = /^-?\d+(\.\d+)?$/;

export async function* readDiskoveryProducts(file: string, options: ReadOptions): AsyncGenerator<ImportChunk> {
  const { content, totalBytes } = await readAll(file);
  const out = new ChunkCollector(options.name, { totalBytes, bytesRead: () => totalBytes }, options.chunkEvents);
  const lines = decodeText(content).split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const delimiter = lines[0].includes(';') && !lines[0].includes(',') ? ';' : ',';
  const columns = splitCsvLine(lines[0], delimiter).fields.map((name) => name.trim());
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    out.addProblem(1, missing.join(', '), `the header has no ${missing.join(', ')} column: expected _id,name,price,type,storage,…`);
    yield out.take();
    return;
  }
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === '') continue;
    out.rowsRead++;
    const result = productOf(line, columns, delimiter, options.currency);
    if ('event' in result) out.addEvent(result.event);
    else out.addProblem(index + 1, result.field, result.reason, line);
    if (out.isFull) yield out.take();
  }
  yield out.take();
}

type RowResult = { event: ProductEvent } | { field: string; reason: string };

function productOf(line: string, columns: string[], delimiter: string, currency: string): RowResult {
  const split = splitCsvLine(line, delimiter);
  if (!split.ok) return { field: columns[split.column] ?? '(row)', reason: split.reason };
  const fields = split.fields;
  if (fields.length < columns.length) return { field: columns[fields.length], reason: `is missing: the row has ${fields.length} fields, the header ${columns.length}` };
  // D010 in the real file ends with a stray comma: an empty extra field is harmless.
  if (fields.slice(columns.length).some((field) => field.trim() !== '')) {
    return { field: '(row)', reason: `has ${fields.length} fields, the header ${columns.length}` };
  }
  const cell = (column: string) => (fields[columns.indexOf(column)] ?? '').trim();
  const details: Record<string, string | number> = {};
  for (let position = 0; position < columns.length; position++) {
    const column = columns[position];
    const value = fields[position].trim();
    if (REQUIRED_COLUMNS.includes(column) || value === '') continue;
    details[column] = NUMBER.test(value) ? Number(value) : value;
  }
  const raw = {
    // The row's content is part of the id: a changed price or name is a new catalog event, the same row is a duplicate.
    id: contentId('diskovery-product', cell('_id'), createHash('sha256').update(fields.join('\u001f')).digest('hex').slice(0, 16)), type: 'product', ts: CATALOG_TIMESTAMP, source: IMPORT_SOURCE,
    product_id: cell('_id'), name: cell('name'), price: cell('price'), currency,
    ...(cell('type') === '' ? {} : { category: cell('type') }),
    ...(cell('manufacturer') === '' ? {} : { brand: cell('manufacturer') }),
    kind: 'product', details,
  };
  const check = checkEvent(raw, 0);
  if (!check.ok) return { field: columnOf(check.problem.field), reason: check.problem.reason };
  return { event: check.event as ProductEvent };
}

const EVENT_FIELD_TO_COLUMN: Record<string, string> = { product_id: '_id', id: '_id', category: 'type', brand: 'manufacturer' };
function columnOf(eventField: string): string {
  if (eventField.startsWith('details.')) return eventField.slice('details.'.length);
  return EVENT_FIELD_TO_COLUMN[eventField] ?? eventField;
}
