import Papa from 'papaparse';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** True when the client asked for CSV (Accept: text/csv, or ?format=csv for download links). */
export function wantsCsv(request: FastifyRequest): boolean {
  const format = (request.query as Record<string, unknown> | undefined)?.format;
  return format === 'csv' || /text\/csv/i.test(request.headers.accept ?? '');
}

export function sendCsv(reply: FastifyReply, rows: Record<string, unknown>[], columns: string[], filename: string) {
  // Formula-looking cells are escaped so a spreadsheet never runs a cell that came from event data.
  const csv = Papa.unparse({ fields: columns, data: rows.map((row) => columns.map((column) => row[column])) }, { escapeFormulae: true });
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(`${csv}\n`);
}
