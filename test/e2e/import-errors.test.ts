/**
 * `storepulse import` with a file it cannot read as a whole: a message naming the file and what to
 * do, no stack trace, exit 1, and the other files of the command still loaded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readEventFile } from '../../src/ingest/files/index.js';
import { readEventFileInThread } from '../../src/ingest/files/read-in-thread.js';
import { repoRoot, runStorepulse } from '../helpers/process.js';

const OPTIONS = { name: 'cut.csv.gz', timeZone: 'UTC', currency: 'GBP' };

function cutShortGzip(): string {
  const csv = fs.readFileSync(path.join(repoRoot, 'test/fixtures/import/retail-quirks.csv'));
  const gzipped = gzipSync(Buffer.concat(Array.from({ length: 200 }, () => csv)));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-cut-')), 'cut.csv.gz');
  fs.writeFileSync(file, gzipped.subarray(0, Math.floor(gzipped.length * 0.6)));
  return file;
}

async function readAll(chunks: AsyncIterable<unknown>): Promise<void> {
  for await (const chunk of chunks) void chunk;
}

describe('a gzip file cut short', () => {
  const file = cutShortGzip();

  it('is reported as damaged, by name, whether read here or in the import thread', async () => {
    await expect(readAll(readEventFile(file, OPTIONS))).rejects.toThrow(/cut\.csv\.gz is gzipped but its compressed data is damaged or cut short .*copy it again/);
    await expect(readAll(readEventFileInThread(file, OPTIONS))).rejects.toThrow(/damaged or cut short/);
  });

  it('fails its import with a message and exit 1, and the other files still load', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-import-errors-'));
    const result = await runStorepulse(['import', file, path.join(repoRoot, 'test/fixtures/import/retail-quirks.csv')], { STOREPULSE_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/storepulse import: cut\.csv\.gz was not loaded: .*damaged or cut short/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toMatch(/retail-quirks\.csv \(online-retail-csv\): 16 rows, 8 events, 8 new/);
  });
});
