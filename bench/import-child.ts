/** One import of a file into a fresh data dir; prints {seconds, maxRssMb, ...} as JSON. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openApp } from '../src/app.js';
import { importFile } from '../src/ingest/import-files.js';

const file = process.argv[2];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-bench-import-'));
const app = await openApp(loadConfig({ ...process.env, STOREPULSE_DATA_DIR: dataDir }), createLogger());
const started = performance.now();
const cpuBefore = process.cpuUsage();
const summary = await importFile(app, file, { chunkEvents: process.env.BENCH_CHUNK ? Number(process.env.BENCH_CHUNK) : undefined });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, maxRssMb, rows: summary.rows, orders: summary.orders, failedRows: summary.failedRows })}\n`);
