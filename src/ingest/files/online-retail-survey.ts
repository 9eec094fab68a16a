/**
 * The first of two passes over an online-retail file. It reads bytes only (no field parsing
 * beyond the InvoiceNo) to learn three things the second pass needs before its first row:
 * the header, the encoding (UTF-8 unless some byte sequence is not valid UTF-8, checked over
 * the whole file), and which invoices are split into non-adjacent runs of rows, with their row
 * counts. Adjacent rows can be emitted as one order the moment the invoice changes; only split
 * invoices are held back, until their last row, so memory stays small and no invoice is ever
 * emitted twice or incomplete. (The real UCI file has one: 542806, lines 78088 and 78094.)
 *
 * A file of at most KEPT_CONTENT_BYTES decompressed keeps its content for the second pass, which
 * then does not decompress it again (the online-retail import: x0.96-1.00, CPU x0.97-0.98, in two
 * sets of 7 interleaved runs).
 */
import iconv from 'iconv-lite';
import { Utf8Validity, readTextPieces } from './lines.js';
import { openByteSource } from './source.js';
import { type HeaderResult, type RetailHeader, invoiceKeyOf, isBlankLine, parseRetailHeader } from './online-retail-row.js';

export interface RetailSurvey {
  header: HeaderResult;
  encoding: 'utf8' | 'windows-1252';
  /** Invoices whose rows are not adjacent → their total number of rows (good and bad). */
  splitInvoiceRows: Map<string, number>;
  /** The decompressed content, when it is small enough to keep (the second pass lets each piece go). */
  content?: (Uint8Array | undefined)[];
  /** Size of the file itself (compressed, for a .gz): the second pass's progress. */
  fileBytes: number;
}

const KEPT_CONTENT_BYTES = 64 << 20;

export async function surveyRetailFile(file: string, keepContentBytes = KEPT_CONTENT_BYTES): Promise<RetailSurvey> {
  const source = await openByteSource(file);
  const fileBytes = source.totalBytes;
  const utf8 = new Utf8Validity();
  let content: Uint8Array[] | undefined = [];
  let contentBytes = 0;
  async function* keptAndChecked(): AsyncGenerator<Buffer> {
    for await (const chunk of source.chunks) {
      contentBytes += chunk.length;
      if (content && contentBytes <= keepContentBytes) content.push(chunk);
      else content = undefined;
      utf8.update(chunk);
      yield chunk;
    }
  }
  let scanner: InvoiceScanner | undefined;
  let unfinished = '';
  // One character per byte: delimiters, quotes and line breaks are ASCII in UTF-8 and ISO-8859-1 alike.
  for await (const text of readTextPieces({ ...source, chunks: keptAndChecked() }, 'bytes')) {
    if (scanner) {
      unfinished = scanner.scan(text);
      continue;
    }
    const headerEnd = text.indexOf('\n');
    if (headerEnd < 0) {
      unfinished = text; // the file's only line, without a line break
      continue;
    }
    const header = parseRetailHeader(text.slice(0, headerEnd).replace(/\r$/, ''));
    if (!header.ok) return { header, encoding: 'utf8', splitInvoiceRows: new Map(), fileBytes };
    scanner = new InvoiceScanner(header.header);
    unfinished = scanner.scan(text, headerEnd + 1);
  }
  if (!scanner) return { header: parseRetailHeader(unfinished), encoding: 'utf8', splitInvoiceRows: new Map(), fileBytes };
  scanner.scan(`${unfinished}\n`);
  const encoding = utf8.end() ? 'utf8' : 'windows-1252';
  return { header: { ok: true, header: scanner.header }, encoding, splitInvoiceRows: scanner.runs.splitInvoiceRows(encoding), content, fileBytes };
}

/**
 * Reads the InvoiceNo of each line. The common case (InvoiceNo first, unquoted, same as the line
 * before) is checked in place, without cutting the line or the key out of the text.
 */
class InvoiceScanner {
  readonly runs = new InvoiceRuns();
  private readonly fastPath: boolean;

  constructor(readonly header: RetailHeader) {
    this.fastPath = header.position.InvoiceNo === 0;
  }

  /** Scans the complete lines of `text` from `from`; returns the unfinished last line. */
  scan(text: string, from = 0): string {
    const { delimiter } = this.header;
    let start = from;
    for (let end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
      const lineEnd = text.charCodeAt(end - 1) === CARRIAGE_RETURN && end > start ? end - 1 : end;
      const first = text.charCodeAt(start);
      if (this.fastPath && lineEnd > start && first !== QUOTE && first !== SPACE && first !== TAB) {
        let keyEnd = text.indexOf(delimiter, start);
        if (keyEnd < 0 || keyEnd > lineEnd) keyEnd = lineEnd;
        const last = text.charCodeAt(keyEnd - 1);
        const current = this.runs.current;
        if (last !== SPACE && last !== TAB && keyEnd - start === current.length && text.startsWith(current, start)) {
          this.runs.add(current);
          continue;
        }
      }
      const line = text.slice(start, lineEnd);
      if (!isBlankLine(line)) this.runs.add(invoiceKeyOf(line, this.header));
    }
    return text.slice(start);
  }
}

const CARRIAGE_RETURN = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

/** Counts rows per invoice and notices an invoice that comes back after another one. */
class InvoiceRuns {
  private rows = new Map<string, number>();
  private split = new Set<string>();
  current = '';
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
