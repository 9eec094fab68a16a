/**
 * Online-retail CSV → one `order` event per invoice (DESIGN §3). Two passes: the survey (see
 * online-retail-survey.ts), then this one, which parses rows and assembles invoices.
 */
import { contentId } from '../../events/ids.js';
import type { OrderEvent, OrderLine } from '../../events/schemas.js';
import { ChunkCollector } from './chunks.js';
import { readTextPieces } from './lines.js';
import { type InvoiceContext, RetailRowReader, invoiceKeyOf, isBlankLine } from './online-retail-row.js';
import { type RetailSurvey, surveyRetailFile } from './online-retail-survey.js';
import { memoryByteSource, openByteSource } from './source.js';
import { IMPORT_SOURCE, type ImportChunk, type ReadOptions } from './types.js';

const MAX_ORDER_LINES = 20_000; // OrderEvent.lines.max
const CARRIAGE_RETURN = 13;

function isBlankRange(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  return start === end || ((first === 32 || first === 9) && isBlankLine(text.slice(start, end)));
}

/** `survey`: the file's first pass, when the caller has run it already (read-in-thread.ts does, beside the thread's start). */
export async function* readOnlineRetail(file: string, options: ReadOptions, survey?: RetailSurvey): AsyncGenerator<ImportChunk> {
  survey ??= await surveyRetailFile(file);
  const source = survey.content ? memoryByteSource(survey.content, survey.fileBytes) : await openByteSource(file);
  const out = new ChunkCollector(options.name, source, options.chunkEvents);
  if (!survey.header.ok) {
    out.addProblem(1, survey.header.missing.join(', '), `the header has no ${survey.header.missing.join(', ')} column: expected InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country`);
    yield out.take();
    return;
  }
  const header = survey.header.header;
  const rows = new RetailRowReader(header, options.timeZone);
  const invoices = new InvoiceAssembler(survey.splitInvoiceRows, options.currency, out);
  const readRow = (text: string, start: number, end: number, lineNumber: number) => {
    out.rowsRead++;
    const row = rows.read(text, start, end);
    if ('product_id' in row) {
      invoices.add(rows.context.invoiceNo, lineNumber, { context: rows.context, line: row }, text, start, end);
    } else {
      const line = text.slice(start, end);
      out.addProblem(lineNumber, row.field, row.reason, line);
      invoices.add(invoiceKeyOf(line, header), lineNumber, undefined, text, start, end);
    }
  };
  let lineNumber = 0;
  for await (const text of readTextPieces(source, survey.encoding)) {
    rows.startText(text);
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const next = end + 1;
      if (text.charCodeAt(end - 1) === CARRIAGE_RETURN && end > start) end--;
      lineNumber++;
      if (lineNumber > 1 && !isBlankRange(text, start, end)) readRow(text, start, end, lineNumber);
      start = next;
      // Within the piece too (a piece of 1 MiB holds ~550 invoices): the first chunk is out sooner.
      if (out.isFull) yield out.take();
    }
  }
  invoices.finish();
  yield out.take();
}

interface RetailRow {
  context: InvoiceContext;
  line: OrderLine;
}

interface PendingInvoice {
  invoiceNo: string;
  rowsSeen: number;
  first?: InvoiceContext;
  lines: OrderLine[];
}

/**
 * Rows → invoices. Adjacent rows of one invoice are emitted when the invoice changes; invoices the
 * survey found split are held until their last row. Rows that failed still count toward that.
 */
class InvoiceAssembler {
  private current: PendingInvoice | undefined;
  private readonly held = new Map<string, PendingInvoice>();
  private readonly emitted = new Set<string>();

  constructor(
    private readonly splitInvoiceRows: Map<string, number>,
    private readonly currency: string,
    private readonly out: ChunkCollector,
  ) {}

  add(invoiceNo: string, lineNumber: number, row: RetailRow | undefined, text: string, start: number, end: number): void {
    if (invoiceNo === '') return;
    const expectedRows = this.splitInvoiceRows.get(invoiceNo);
    if (expectedRows !== undefined) {
      this.addHeld(invoiceNo, expectedRows, lineNumber, row, text.slice(start, end));
      return;
    }
    if (this.current?.invoiceNo !== invoiceNo) {
      this.emit(this.current);
      this.current = undefined;
      if (this.emitted.has(invoiceNo)) {
        // Only if the file changed between the two passes: better reported than emitted twice.
        if (row) this.out.addProblem(lineNumber, 'InvoiceNo', `invoice ${invoiceNo} was already complete when this row came (did the file change while it was read?); the row is left out`, text.slice(start, end));
        return;
      }
      this.current = { invoiceNo, rowsSeen: 0, lines: [] };
    }
    this.addRow(this.current, lineNumber, row, text, start, end);
  }

  finish(): void {
    this.emit(this.current);
    this.current = undefined;
    for (const invoice of this.held.values()) this.emit(invoice);
    this.held.clear();
  }

  private addHeld(invoiceNo: string, expectedRows: number, lineNumber: number, row: RetailRow | undefined, text: string): void {
    let invoice = this.held.get(invoiceNo);
    if (!invoice) {
      invoice = { invoiceNo, rowsSeen: 0, lines: [] };
      this.held.set(invoiceNo, invoice);
    }
    this.addRow(invoice, lineNumber, row, text, 0, text.length);
    if (invoice.rowsSeen >= expectedRows) {
      this.held.delete(invoiceNo);
      this.emit(invoice);
    }
  }

  private addRow(invoice: PendingInvoice, lineNumber: number, row: RetailRow | undefined, text: string, start: number, end: number): void {
    invoice.rowsSeen++;
    if (!row) return;
    if (invoice.lines.length >= MAX_ORDER_LINES) {
      this.out.addProblem(lineNumber, 'InvoiceNo', `invoice ${invoice.invoiceNo} already has ${MAX_ORDER_LINES} lines, the most one order may hold; this row is left out`, text.slice(start, end));
      return;
    }
    invoice.first ??= row.context;
    invoice.lines.push(row.line);
  }

  private emit(invoice: PendingInvoice | undefined): void {
    if (!invoice) return;
    this.emitted.add(invoice.invoiceNo);
    if (invoice.first) this.out.addEvent(orderEventOf(invoice.first, invoice.lines, this.currency));
  }
}

/** The canonical order, built in the key order OrderEvent.parse produces (a test compares them). */
function orderEventOf(first: InvoiceContext, lines: OrderLine[], currency: string): OrderEvent {
  const invoiceNo = first.invoiceNo;
  const event = { id: contentId('retail', invoiceNo), ts: first.ts, source: IMPORT_SOURCE, type: 'order', order_id: invoiceNo } as OrderEvent;
  if (first.customerId !== undefined) event.customer_id = first.customerId;
  if (first.country !== undefined) event.country = first.country;
  event.currency = currency;
  event.cancellation = invoiceNo.startsWith('C');
  event.lines = lines;
  return event;
}
