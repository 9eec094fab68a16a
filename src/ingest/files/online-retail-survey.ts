/**
 * The first of two passes over an online-retail file. It reads bytes only (no field parsing
 * beyond the InvoiceNo) to learn three things the second pass needs before its first row:
 * the header, the encoding (UTF-8 unless some byte sequence is not valid UTF-8, checked over
 * the whole file), and which invoices are split into non-adjacent runs of rows, with their row
 * counts. Adjacent rows can be emitted as one order the moment the invoice changes; only split
 * invoices are held back, until their last row, so memory stays small and no invoice is ever
 * emitted twice or incomplete. (The real UCI file has one: 542806, lines 78088 and 78094.)
 */
import iconv from 'iconv-lite';
import { Utf8Validity, readLines } from './lines.js';
import { openByteSource } from './source.js';
import { type HeaderResult, invoiceKeyOf, isBlankLine, parseRetailHeader } from './online-retail-row.js';

export interface RetailSurvey {
  header: HeaderResult;
  encoding: 'utf8' | 'windows-1252';
  /** Invoices whose rows are not adjacent → their total number of rows (good and bad). */
  splitInvoiceRows: Map<string, number>;
}

export async function surveyRetailFile(file: string): Promise<RetailSurvey> {
  const source = await openByteSource(file);
  const utf8 = new Utf8Validity();
  const chunks = (async function* () {
    for await (const chunk of source.chunks) {
      utf8.update(chunk);
      yield chunk as Buffer;
    }
  })();
  let header: HeaderResult | undefined;
  const runs = new InvoiceRuns();
  for await (const batch of readLines({ ...source, chunks }, 'bytes')) {
    let start = 0;
    if (batch.firstLine === 1) {
      header = parseRetailHeader(batch.lines[0]);
      if (!header.ok) return { header, encoding: 'utf8', splitInvoiceRows: new Map() };
      start = 1;
    }
    if (!header?.ok) continue;
    for (let index = start; index < batch.lines.length; index++) {
      const line = batch.lines[index];
      if (isBlankLine(line)) continue;
      runs.add(invoiceKeyOf(line, header.header));
    }
  }
  if (!header) return { header: parseRetailHeader(''), encoding: 'utf8', splitInvoiceRows: new Map() };
  const encoding = utf8.end() ? 'utf8' : 'windows-1252';
  return { header, encoding, splitInvoiceRows: runs.splitInvoiceRows(encoding) };
}

/** Counts rows per invoice and notices an invoice that comes back after another one. */
class InvoiceRuns {
  private rows = new Map<string, number>();
  private split = new Set<string>();
  private current = '';
  private currentRows = 0;

  add(key: string): void {
    if (key === this.current) {
      this.currentRows++;
      return;
    }
    this.closeRun();
    if (this.rows.has(key)) this.split.add(key);
    this.current = key;
    this.currentRows = 1;
  }

  splitInvoiceRows(encoding: RetailSurvey['encoding']): Map<string, number> {
    this.closeRun();
    const result = new Map<string, number>();
    // Keys were read one byte per character; decode them as the second pass will.
    for (const key of this.split) {
      if (key === '') continue;
      const decoded = !/[\u0080-\uffff]/.test(key) ? key : iconv.decode(Buffer.from(key, 'latin1'), encoding);
      result.set(decoded, this.rows.get(key) ?? 0);
    }
    return result;
  }

  private closeRun(): void {
    if (this.currentRows === 0) return;
    this.rows.set(this.current, (this.rows.get(this.current) ?? 0) + this.currentRows);
    this.currentRows = 0;
  }
}
