import type { StorepulseEvent } from '../../events/schemas.js';

export type FileFormat = 'online-retail-csv' | 'diskovery-sales-json' | 'diskovery-products-csv' | 'ndjson';

/** One row (or record) that was left out of the import, and why. `line` is 1-based in the (decompressed) file. */
export interface RowProblem {
  file: string;
  line: number;
  /** The CSV column or JSON field at fault, '(row)' when the row as a whole is malformed. */
  field: string;
  reason: string;
  excerpt?: string;
}

/** A slice of the import. rowsRead and bytesRead are running totals (for progress bars); bytes are file bytes, before gunzip. */
export interface ImportChunk {
  events: StorepulseEvent[];
  problems: RowProblem[];
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ReadOptions {
  /** The file name used in problems and messages. */
  name: string;
  /** The shop's time zone: timestamps without a zone are wall-clock times there. */
  timeZone: string;
  /** ISO-4217 currency of files that do not name one. */
  currency: string;
  /** Events per chunk, about 1000 by default. */
  chunkEvents?: number;
}

export const IMPORT_SOURCE = 'import';
const EXCERPT_LENGTH = 120;

export function excerptOf(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
}
