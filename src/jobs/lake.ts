/**
 * The lake job (DESIGN §6): the previous shop day's facts, one folder per fact table and day,
 * `archive/lake/<table>/date=YYYY-MM-DD/part-0.parquet` (and `.csv` for spreadsheet users), the
 * Hive-style layout DuckDB, pandas and Spark read as one partitioned data set. Re-running a day
 * replaces its files.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../app.js';
import { localDate, startOfLocalDay } from '../events/time.js';
import { formatNumber } from '../notify/messages.js';
import type { FactTable } from '../warehouse/port.js';
import type { Job, JobContext, JobOutcome } from './job.js';
import { shiftDate } from '../store/hot-window.js';

export const LAKE_TABLES: FactTable[] = ['order_lines', 'views', 'cart_adds', 'probes'];
const FORMATS = ['parquet', 'csv'] as const;

const TABLE_WORDS: Record<FactTable, string> = { order_lines: 'order lines', views: 'views', cart_adds: 'cart adds', probes: 'probes' };

export function lakeJob(app: App): Job {
  return {
    name: 'lake',
    description: "Archives the previous day's facts to archive/lake/<table>/date=YYYY-MM-DD/part-0.parquet and .csv",
    defaultSchedule: '15 0 * * *',
    async run(context: JobContext): Promise<JobOutcome> {
      const day = lakeDay(context.at, app.config.timeZone);
      const range = { fromMs: startOfLocalDay(day, app.config.timeZone), toMs: startOfLocalDay(shiftDate(day, 1), app.config.timeZone) };
      const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'storepulse-lake-'));
      try {
        const rows: Partial<Record<FactTable, number>> = {};
        const written: string[] = [];
        for (const [index, table] of LAKE_TABLES.entries()) {
          if (context.signal.aborted) throw new Error(`stopped before archiving ${table} of ${day}; run lake again for that day`);
          const count = await archiveTable(app, table, day, range, scratch);
          rows[table] = count.rows;
          written.push(...count.keys);
          context.progress?.(index + 1, LAKE_TABLES.length);
        }
        return {
          summary: `${day}: ${LAKE_TABLES.map((table) => `${formatNumber(rows[table] ?? 0)} ${TABLE_WORDS[table]}`).join(', ')}`
            + (written.length > 0 ? ` in archive/lake/<table>/date=${day}/` : '; nothing to archive'),
          outputs: { day, rows, keys: written.map((key) => `archive/${key}`) },
        };
      } finally {
        await fs.rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

/** The shop day before the day of `at`: a run at 00:15 archives yesterday; `--at 2011-11-15` archives 2011-11-14. */
export function lakeDay(at: Date, timeZone: string): string {
  return shiftDate(localDate(at.getTime(), timeZone), -1);
}

export function lakePrefix(table: FactTable, day: string): string {
  return `lake/${table}/date=${day}/`;
}

/**
 * Exports one table's rows of the day to scratch files, then puts them in the archive bucket
 * through the objects port (a folder here, S3 later). A day without rows writes nothing and
 * leaves what the archive holds: the lake keeps everything, even if the warehouse is rebuilt.
 */
async function archiveTable(app: App, table: FactTable, day: string, range: { fromMs: number; toMs: number }, scratch: string):
  Promise<{ rows: number; keys: string[] }> {
  const prefix = lakePrefix(table, day);
  const keys: string[] = [];
  let rows = 0;
  for (const format of FORMATS) {
    const file = path.join(scratch, `${table}.${format}`);
    rows = await app.warehouse.exportFacts(table, range, file, format);
    if (rows === 0) return { rows: 0, keys: [] };
    const key = `${prefix}part-0.${format}`;
    await app.objects.put('archive', key, createReadStream(file));
    keys.push(key);
  }
  // part-0 now holds the whole day: parts left by another writer would count rows twice.
  for (const stale of await app.objects.list('archive', prefix)) {
    if (!keys.includes(stale.key)) await app.objects.delete('archive', stale.key);
  }
  return { rows, keys };
}
