/**
 * Imports a file into a fresh data dir (timed), then generates the weekly report (shop and sellers,
 * archived and published, as the job does) for the dataset's busiest 7 days, `runs` times.
 * Prints {importSeconds, week, reportSeconds[], orders} as JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openApp, type App } from '../src/app.js';
import { importFile } from '../src/ingest/import-files.js';
import { addDays } from '../src/reports/build-input.js';
import { generateReports } from '../src/reports/publish.js';

const [file, runsText = '3'] = process.argv.slice(2);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-bench-report-'));
const app = await openApp(loadConfig({ ...process.env, STOREPULSE_DATA_DIR: dataDir }), createLogger());
try {
  const importStarted = performance.now();
  await importFile(app, file);
  const importSeconds = (performance.now() - importStarted) / 1000;
  const week = await busiestWeek(app);
  const reportSeconds: number[] = [];
  let orders = 0;
  for (let run = 0; run < Number(runsText); run += 1) {
    const started = performance.now();
    orders = (await generateReports(app, { ...week, sellers: true, publish: true })).orders;
    reportSeconds.push((performance.now() - started) / 1000);
  }
  process.stdout.write(`${JSON.stringify({ importSeconds, week, reportSeconds, orders })}\n`);
} finally {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** The 7 consecutive days with the most net revenue, from the best-dates KPI over all history. */
async function busiestWeek(app: App): Promise<{ from: string; to: string }> {
  const { rows } = await app.warehouse.runKpi('best-dates', { fromMs: Date.UTC(1990, 0, 1), toMs: Date.UTC(2200, 0, 1), limit: 100_000 });
  const revenueByDay = new Map(rows.map((row) => [String(row.day), Number(row.revenue)]));
  let best = { from: '', to: '', revenue: -Infinity };
  for (const day of revenueByDay.keys()) {
    let revenue = 0;
    for (let offset = 0; offset < 7; offset += 1) revenue += revenueByDay.get(addDays(day, offset)) ?? 0;
    if (revenue > best.revenue) best = { from: day, to: addDays(day, 7), revenue };
  }
  return { from: best.from, to: best.to };
}
