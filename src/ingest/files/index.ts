/**
 * File importers (DESIGN §3, files in the inbox bucket and `storepulse import`): pure readers
 * that turn a file into validated canonical events plus the rows they had to leave out. They
 * write nothing; the import command and the inbox job hand the chunks to the consumer.
 */
import { isValidTimeZone } from '../../events/time.js';
import { readDiskoveryProducts } from './diskovery-products.js';
import { readDiskoverySales } from './diskovery-sales.js';
import { splitCsvLine } from './csv-line.js';
import { stripByteOrderMark } from './lines.js';
import { readNdjson } from './ndjson.js';
import { readOnlineRetail } from './online-retail.js';
import { type RetailSurvey, surveyRetailFile } from './online-retail-survey.js';
import { readHead } from './source.js';
import type { FileFormat, ImportChunk, ReadOptions } from './types.js';

export type { FileFormat, ImportChunk, ReadOptions, RowProblem } from './types.js';
export { CATALOG_TIMESTAMP } from './diskovery-products.js';

const SNIFF_BYTES = 64 * 1024;
const KNOWN_FORMATS = 'an online-retail CSV (InvoiceNo,StockCode,…), a Diskovery sales JSON array, a Diskovery products CSV (_id,name,price,…) or canonical NDJSON, optionally gzipped';

/** The file's format, from its first bytes (after gunzip), not from its name. */
export async function detectFormat(file: string): Promise<FileFormat> {
  const head = stripByteOrderMark((await readHead(file, SNIFF_BYTES)).toString('latin1')).trimStart();
  if (head === '') throw new Error(`${file} is empty; expected ${KNOWN_FORMATS}`);
  if (head.startsWith('[')) {
    if (/^\[\s*(\]|\{\s*"(order_id|product_id|quantity|price|revenue|date)"\s*:)/.test(head)) return 'diskovery-sales-json';
    throw new Error(`${file} is a JSON array but not of Diskovery sales records ({order_id, product_id, quantity, price, revenue, date}); send canonical events as NDJSON instead`);
  }
  if (head.startsWith('{')) return 'ndjson';
  const firstLine = head.slice(0, head.indexOf('\n') < 0 ? head.length : head.indexOf('\n')).replace(/\r$/, '');
  const delimiter = firstLine.includes(',') ? ',' : ';';
  const columns = splitCsvLine(firstLine, delimiter).fields.map((name) => name.trim().toLowerCase());
  if (columns.includes('invoiceno')) return 'online-retail-csv';
  if (columns[0] === '_id' && columns.includes('name')) return 'diskovery-products-csv';
  throw new Error(`${file} is not a known import format: it starts with ${JSON.stringify(firstLine.slice(0, 80))}; expected ${KNOWN_FORMATS}`);
}

const READERS: Record<FileFormat, (file: string, options: ReadOptions) => AsyncGenerator<ImportChunk>> = {
  'online-retail-csv': readOnlineRetail,
  'diskovery-sales-json': readDiskoverySales,
  'diskovery-products-csv': readDiskoveryProducts,
  ndjson: readNdjson,
};

/**
 * Streams the file's events in chunks of about `chunkEvents`, with the rows left out and why.
 * Bad rows never stop the import; an unknown format or an unreadable file throws.
 */
export async function* readEventFile(file: string, options: ReadOptions, prepared?: PreparedRead): AsyncGenerator<ImportChunk> {
  checkReadOptions(options);
  const format = prepared?.format ?? await detectFormat(file);
  if (format === 'online-retail-csv') yield* readOnlineRetail(file, options, prepared?.retailSurvey);
  else yield* READERS[format](file, options);
}

/** What readEventFile would learn before its first chunk, learned ahead (read-in-thread.ts does so while its thread starts). */
export interface PreparedRead {
  format: FileFormat;
  retailSurvey?: RetailSurvey;
}

/** `format`: the file's format when the caller is detecting it already. */
export async function prepareRead(file: string, options: ReadOptions, format: Promise<FileFormat> = detectFormat(file)): Promise<PreparedRead> {
  checkReadOptions(options);
  const detected = await format;
  return detected === 'online-retail-csv' ? { format: detected, retailSurvey: await surveyRetailFile(file) } : { format: detected };
}

function checkReadOptions(options: ReadOptions): void {
  if (!isValidTimeZone(options.timeZone)) throw new Error(`import ${options.name}: time zone "${options.timeZone}" is unknown; use an IANA name like Europe/London`);
  if (!/^[A-Z]{3}$/.test(options.currency)) throw new Error(`import ${options.name}: currency "${options.currency}" is not an ISO-4217 code like GBP`);
}
