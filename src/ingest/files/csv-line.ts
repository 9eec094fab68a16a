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
