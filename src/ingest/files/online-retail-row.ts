/**
 * One online-retail CSV row (`InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,
 * CustomerID,Country`) into an order line, or the reason it cannot be one. The checks mirror the
 * OrderEvent schema field by field, so an invoice built from good rows always passes checkEvent.
 */
import { MoneyError, normalizeMoney } from '../../events/money.js';
import type { LineKind, OrderLine } from '../../events/schemas.js';
import { TimeError, parseLocalTimestamp } from '../../events/time.js';
import { CsvFieldScanner, splitCsvLine } from './csv-line.js';

export const RETAIL_COLUMNS = [
  'InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country',
] as const;
export type RetailColumn = (typeof RETAIL_COLUMNS)[number];
const REQUIRED_COLUMNS: RetailColumn[] = ['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice'];

export interface RetailHeader {
  delimiter: string;
  names: string[];
  /** Position of each known column, -1 when the file has no such column. */
  position: Record<RetailColumn, number>;
}

export type HeaderResult = { ok: true; header: RetailHeader } | { ok: false; missing: RetailColumn[] };

export function parseRetailHeader(line: string): HeaderResult {
  const delimiter = count(line, ';') > count(line, ',') ? ';' : ',';
  const names = splitCsvLine(line, delimiter).fields.map((name) => name.trim());
  const lowerNames = names.map((name) => name.toLowerCase());
  const position = Object.fromEntries(
    RETAIL_COLUMNS.map((column) => [column, lowerNames.indexOf(column.toLowerCase())]),
  ) as Record<RetailColumn, number>;
  const missing = REQUIRED_COLUMNS.filter((column) => position[column] < 0);
  return missing.length > 0 ? { ok: false, missing } : { ok: true, header: { delimiter, names, position } };
}

/** The invoice a line belongs to, as both reading passes must see it: also for rows that fail. */
export function invoiceKeyOf(line: string, header: RetailHeader): string {
  const column = header.position.InvoiceNo;
  if (column === 0 && !line.startsWith('"')) {
    const end = line.indexOf(header.delimiter);
    return trimSpaces(end < 0 ? line : line.slice(0, end));
  }
  return trimSpaces(splitCsvLine(line, header.delimiter).fields[column] ?? '');
}

/**
 * Spaces and tabs only: String.trim also strips U+00A0, which is one byte in the first pass
 * (bytes) and part of a character in the second (UTF-8), so the two passes could disagree.
 */
export function trimSpaces(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

export function isBlankLine(line: string): boolean {
  const first = line.charCodeAt(0);
  return line.length === 0 || ((first === 32 || first === 9) && /^[ \t]*$/.test(line));
}

/** What the rows of one invoice share (from its first row). */
export interface InvoiceContext {
  invoiceNo: string;
  ts: string;
  customerId?: string;
  country?: string;
}

export interface RetailRowProblem {
  field: string;
  reason: string;
}

const FEE_CODES = new Set(['POST', 'DOT', 'C2', 'BANK CHARGES', 'AMAZONFEE', 'PADS']);
const ADJUSTMENT_CODES = new Set(['M', 'm', 'D', 'S', 'B', 'CRUK']);
const ADJUSTMENT_PREFIXES = ['DCGS', 'gift_0001_'];

/** Postage, fees and adjustments are not products: they count in revenue, never in product rankings. */
export function lineKindOf(stockCode: string): LineKind {
  const first = stockCode.charCodeAt(0);
  if (first >= 48 && first <= 57) return 'product'; // most codes are numbers: skip the lookups
  if (FEE_CODES.has(stockCode)) return 'fee';
  if (ADJUSTMENT_CODES.has(stockCode) || ADJUSTMENT_PREFIXES.some((prefix) => stockCode.startsWith(prefix))) return 'adjustment';
  return 'product';
}

const INTEGER = /^[+-]?\d{1,10}$/;
const DECIMAL_COMMA = /^-?\d+,\d+$/;
const MAX_QUANTITY = 1_000_000_000;
const MINUS = 45;

/**
 * Parses rows of one file. Rows of an invoice repeat its number, date, customer and country, so
 * those are checked when they change, not on every row; prices repeat across invoices.
 */
export class RetailRowReader {
  private lastDateText = '';
  private lastDate: string | TimeError = '';
  private prices = new Map<string, string | MoneyError>();
  private lastContextTexts: string[] = [];
  private lastContext: InvoiceContext | RetailRowProblem = { field: '(row)', reason: 'no row yet' };
  /** The invoice-level fields of the row `read` returned last; a new object whenever they change. */
  context!: InvoiceContext;

  private readonly scanner: CsvFieldScanner;

  constructor(private readonly header: RetailHeader, private readonly timeZone: string) {
    this.scanner = new CsvFieldScanner(header.delimiter);
  }

  /** Call once per decoded text, before reading its rows. */
  startText(text: string): void {
    this.scanner.startText(text);
  }

  /** Reads the row text[start, end) (without its line break). */
  read(text: string, start: number, end: number): OrderLine | RetailRowProblem {
    const { header, scanner } = this;
    const broken = scanner.split(start, end);
    if (broken) return { field: header.names[broken.column] ?? '(row)', reason: broken.reason };
    const { fields, count } = scanner;
    if (count !== header.names.length) {
      const shape = checkFieldCount(fields.slice(0, count), header);
      if (shape) return shape;
    }
    const { position } = header;
    const context = this.contextOf(fields);
    if (!('invoiceNo' in context)) return context;

    const stockCode = fields[position.StockCode].trim();
    const stockCodeProblem = identifierProblem('StockCode', stockCode);
    if (stockCodeProblem) return stockCodeProblem;
    const description = optionalField(fields, position.Description);
    if (description.length > 1000) return { field: 'Description', reason: `is ${description.length} characters long, at most 1000 are allowed` };
    if (hasControlCharacter(description)) return { field: 'Description', reason: 'contains a control character (tab, line break…)' };

    const quantityText = fields[position.Quantity].trim();
    if (!INTEGER.test(quantityText)) return { field: 'Quantity', reason: `${JSON.stringify(quantityText)} is not an integer` };
    const quantity = Number(quantityText);
    if (quantity === 0) return { field: 'Quantity', reason: 'is 0; a line needs a non-zero quantity' };
    if (Math.abs(quantity) > MAX_QUANTITY) return { field: 'Quantity', reason: `${quantityText} is beyond ±1,000,000,000` };

    const kind = lineKindOf(stockCode);
    const unitPrice = this.price(fields[position.UnitPrice].trim());
    if (unitPrice instanceof MoneyError) return { field: 'UnitPrice', reason: unitPrice.message };
    if (unitPrice.charCodeAt(0) === MINUS && kind !== 'adjustment') {
      return { field: 'UnitPrice', reason: `is negative (${unitPrice}); only adjustment lines (StockCode B, M, D, S, CRUK, DCGS…) may be` };
    }
    this.context = context;
    return description.trim() === ''
      ? { product_id: stockCode, quantity, unit_price: unitPrice, kind }
      : { product_id: stockCode, description, quantity, unit_price: unitPrice, kind };
  }

  private contextOf(fields: string[]): InvoiceContext | RetailRowProblem {
    const { position } = this.header;
    const invoiceText = fields[position.InvoiceNo];
    const dateText = fields[position.InvoiceDate];
    const customerText = optionalField(fields, position.CustomerID);
    const countryText = optionalField(fields, position.Country);
    const last = this.lastContextTexts;
    // Checked on every row, allocated only when the invoice changes.
    if (invoiceText === last[0] && dateText === last[1] && customerText === last[2] && countryText === last[3]) return this.lastContext;
    this.lastContextTexts = [invoiceText, dateText, customerText, countryText];
    this.lastContext = checkContext(invoiceText, this.timestamp(dateText.trim()), customerText, countryText);
    return this.lastContext;
  }

  private timestamp(text: string): string | TimeError {
    if (text !== this.lastDateText) {
      this.lastDateText = text;
      try {
        this.lastDate = parseLocalTimestamp(text, this.timeZone);
      } catch (error) {
        this.lastDate = error instanceof TimeError ? error : new TimeError(`"${text}" is not a date-time`);
      }
    }
    return this.lastDate;
  }

  private price(text: string): string | MoneyError {
    let price = this.prices.get(text);
    if (price !== undefined) return price;
    // `;` files written by European spreadsheets use a decimal comma.
    const decimal = this.header.delimiter === ';' && DECIMAL_COMMA.test(text) ? text.replace(',', '.') : text;
    try {
      price = text === '' ? new MoneyError('is empty') : normalizeMoney(decimal);
    } catch (error) {
      price = error instanceof MoneyError ? error : new MoneyError(`"${text}" is not an amount`);
    }
    if (this.prices.size > 50_000) this.prices.clear();
    this.prices.set(text, price);
    return price;
  }
}

function checkContext(invoiceText: string, ts: string | TimeError, customerText: string, countryText: string): InvoiceContext | RetailRowProblem {
  const invoiceNo = trimSpaces(invoiceText);
  const invoiceProblem = identifierProblem('InvoiceNo', invoiceNo);
  if (invoiceProblem) return invoiceProblem;
  if (ts instanceof TimeError) return { field: 'InvoiceDate', reason: ts.message };
  const customerId = withoutDecimalZeros(customerText.trim());
  const customerProblem = customerId === '' ? undefined : identifierProblem('CustomerID', customerId);
  if (customerProblem) return customerProblem;
  const country = countryText.trim();
  if (country.length > 80 || hasControlCharacter(country)) {
    return { field: 'Country', reason: 'must be at most 80 characters without control characters' };
  }
  const context: InvoiceContext = { invoiceNo, ts };
  if (customerId !== '') context.customerId = customerId;
  if (country !== '') context.country = country;
  return context;
}

/** The characters the event schema refuses in text (a loop: measured faster than the regex here). */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 32 || code === 127) return true;
  }
  return false;
}

function optionalField(fields: string[], position: number): string {
  return position < 0 ? '' : fields[position];
}

/** Spreadsheets turn the CustomerID 17850 into 17850.0. */
function withoutDecimalZeros(customerId: string): string {
  return customerId.includes('.') ? customerId.replace(/\.0+$/, '') : customerId;
}

function checkFieldCount(fields: string[], header: RetailHeader): RetailRowProblem | undefined {
  const expected = header.names.length;
  if (fields.length < expected) {
    return { field: header.names[fields.length], reason: `is missing: the row has ${fields.length} fields, the header ${expected}` };
  }
  // Trailing empty fields (a trailing delimiter) are harmless; anything else means shifted columns.
  if (fields.slice(expected).some((field) => field.trim() !== '')) {
    return { field: '(row)', reason: `has ${fields.length} fields, the header ${expected} (a delimiter inside an unquoted value?)` };
  }
  return undefined;
}

function identifierProblem(field: RetailColumn, value: string): RetailRowProblem | undefined {
  if (value === '') return { field, reason: 'is empty' };
  if (value.length > 128) return { field, reason: `is ${value.length} characters long, at most 128 are allowed` };
  if (hasControlCharacter(value)) return { field, reason: 'contains a control character' };
  return undefined;
}

function count(text: string, character: string): number {
  let total = 0;
  for (let index = text.indexOf(character); index >= 0; index = text.indexOf(character, index + 1)) total++;
  return total;
}
