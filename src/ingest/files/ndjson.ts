/** Canonical NDJSON: one event per line, as POST /v1/events takes it, without its size limit. */
import { checkEvent } from '../../events/schemas.js';
import { ChunkCollector } from './chunks.js';
import { readLines } from './lines.js';
import { openByteSource } from './source.js';
import { IMPORT_SOURCE, type ImportChunk, type ReadOptions } from './types.js';

export async function* readNdjson(file: string, options: ReadOptions): AsyncGenerator<ImportChunk> {
  const source = await openByteSource(file);
  const out = new ChunkCollector(options.name, source, options.chunkEvents);
  for await (const batch of readLines(source, 'utf8')) {
    for (let index = 0; index < batch.lines.length; index++) {
      const line = batch.lines[index];
      if (line.trim() === '') continue;
      out.rowsRead++;
      readLine(line, batch.firstLine + index, out);
      if (out.isFull) yield out.take(); // within a batch of lines too: a batch is a decoded MiB
    }
  }
  yield out.take();
}

function readLine(line: string, lineNumber: number, out: ChunkCollector): void {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    out.addProblem(lineNumber, '(line)', `is not valid JSON: ${(error as Error).message}`, line);
    return;
  }
  // A file's events without a producer name came from the import, not from the HTTP API.
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && (raw as { source?: unknown }).source === undefined) {
    (raw as { source: string }).source = IMPORT_SOURCE;
  }
  const check = checkEvent(raw, lineNumber - 1);
  if (check.ok) out.addEvent(check.event);
  else out.addProblem(lineNumber, check.problem.field, check.problem.reason, line);
}
