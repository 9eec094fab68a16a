import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { type StorepulseEvent, checkEvent } from '../../../src/events/schemas.js';
import { type ImportChunk, type ReadOptions, type RowProblem, readEventFile } from '../../../src/ingest/files/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../../..');
export const fixture = (name: string) => path.join(REPO_ROOT, 'test/fixtures/import', name);
export const realData = (name: string) => path.resolve(REPO_ROOT, '../shared/data', name);

export const OPTIONS: ReadOptions = { name: 'fixture', timeZone: 'UTC', currency: 'GBP' };

export interface ReadResult {
  events: StorepulseEvent[];
  problems: RowProblem[];
  chunks: ImportChunk[];
}

export async function readWhole(file: string, options: Partial<ReadOptions> = {}): Promise<ReadResult> {
  const chunks: ImportChunk[] = [];
  for await (const chunk of readEventFile(file, { ...OPTIONS, ...options })) chunks.push(chunk);
  return { chunks, events: chunks.flatMap((chunk) => chunk.events), problems: chunks.flatMap((chunk) => chunk.problems) };
}

export function orders(events: StorepulseEvent[]) {
  return events.map((event) => {
    if (event.type !== 'order') throw new Error(`expected an order, got ${event.type}`);
    return event;
  });
}

/** The reader's output is exactly what checkEvent makes of it: same values, same keys, same order. */
export function expectCanonical(events: StorepulseEvent[]): void {
  for (const event of events) {
    const check = checkEvent(event, 0);
    if (!check.ok) throw new Error(`${event.id}: ${check.problem.field} ${check.problem.reason}`);
    expect(JSON.stringify(check.event)).toBe(JSON.stringify(event));
  }
}

export async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'storepulse-import-'));
}

/** A gzipped copy of a fixture, under a name that does not say so. */
export async function gzippedCopy(file: string, name: string): Promise<string> {
  const target = path.join(await tempDir(), name);
  await writeFile(target, gzipSync(await readFile(file)));
  return target;
}
