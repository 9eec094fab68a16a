/**
 * One CSV line into fields (RFC 4180 quoting: a field that starts with `"` runs to the next lone
 * `"`, and `""` inside it is one quote). Quoted fields do not span lines here, on purpose: a
 * broken quote then spoils only its own line, where a streaming CSV parser (papaparse) would
 * swallow the following rows into one field until the next quote.
 */
export type SplitLine =
  | { ok: true; fields: string[] }
  | { ok: false; fields: string[]; column: number; reason: string };

const QUOTE = '"';

export function splitCsvLine(line: string, delimiter: string): SplitLine {
  if (!line.includes(QUOTE)) return { ok: true, fields: line.split(delimiter) };
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (line[position] !== QUOTE) {
      const end = line.indexOf(delimiter, position);
      // A quote inside an unquoted field is literal text, as papaparse reads it.
      fields.push(line.slice(position, end < 0 ? line.length : end));
      if (end < 0) return { ok: true, fields };
      position = end + delimiter.length;
      continue;
    }
    const quoted = readQuotedField(line, position, delimiter);
    if (typeof quoted === 'string') return { ok: false, fields, column: fields.length, reason: quoted };
    fields.push(quoted.value);
    if (quoted.end === line.length) return { ok: true, fields };
    position = quoted.end + delimiter.length;
  }
}

function readQuotedField(text: string, start: number, delimiter: string): { value: string; end: number } | string {
  let value = '';
  let from = start + 1;
  for (;;) {
    const close = text.indexOf(QUOTE, from);
    if (close < 0) return 'has an opening quote (") that is never closed';
    value += text.slice(from, close);
    if (text[close + 1] === QUOTE) {
      value += QUOTE;
      from = close + 2;
      continue;
    }
    const after = close + 1;
    if (after === text.length || text.startsWith(delimiter, after)) return { value, end: after };
    return `has text after its closing quote: ${JSON.stringify(text.slice(start, after + 10))}`;
  }
}

/**
 * Splits the lines of one text in place, without cutting each line out first (measured twice as
 * fast as line.split on the real file). Lines with a quote go through splitCsvLine.
 */
export class CsvFieldScanner {
  readonly fields: string[] = [];
  count = 0;
  private text = '';
  private nextQuote = -1;

  constructor(private readonly delimiter: string) {}

  startText(text: string): void {
    this.text = text;
    this.nextQuote = text.indexOf(QUOTE);
  }

  /** Splits text[start, end) into fields[0..count); returns the problem when a quote is broken. */
  split(start: number, end: number): Extract<SplitLine, { ok: false }> | undefined {
    const { text, delimiter, fields } = this;
    if (this.nextQuote >= 0 && this.nextQuote < start) this.nextQuote = text.indexOf(QUOTE, start);
    if (this.nextQuote >= 0 && this.nextQuote < end) {
      const result = splitCsvLine(text.slice(start, end), delimiter);
      for (let index = 0; index < result.fields.length; index++) fields[index] = result.fields[index];
      this.count = result.fields.length;
      return result.ok ? undefined : result;
    }
    let count = 0;
    let position = start;
    for (;;) {
      const next = text.indexOf(delimiter, position);
      if (next < 0 || next >= end) {
        fields[count++] = text.slice(position, end);
        break;
      }
      fields[count++] = text.slice(position, next);
      position = next + delimiter.length;
    }
    this.count = count;
    return undefined;
  }
}
