/**
 * `npm run bench`: figures and ratios against baselines measured in the same run.
 * - import of the full online-retail file vs DuckDB's bare read_csv of it (goal ratio ≤ 3),
 *   and the import's peak RSS (goal ≤ 500 MB); the file is from 2011, so its orders are outside the
 *   hot window and go to the warehouse only: a second series imports it with every order hot
 *   (written to the OLTP store too), the cost of a file of this week's orders;
 * - HTTP ingest events/s with 100-event batches vs a bare node:http server (goal ≥ 0.5): 100 copies
 *   of one order, and 100 real invoices (which compress less in the log and miss the caches);
 * - the weekly report of the busiest week vs that import (goal: a small fraction).
 * BENCH_RUNS (default 3) repeats each measurement (HTTP ones too: a single slow round on this
 * noisy machine moved a median of two by 0.1); medians are quoted.
 */
import { fmt, median, onlineRetailCsv, runScript } from './lib.js';
import { measureHttp, realOrdersBatchBody } from './http.js';
import { measureReport } from './report.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const httpSeconds = Number(process.env.BENCH_HTTP_SECONDS ?? 8);
const figures: [string, string][] = [];
const say = (line: string) => process.stdout.write(`${line}\n`);

say(`storepulse benchmarks (${runs} runs each, medians; machine: ${(await import('node:os')).cpus().length} cores)`);

type ImportFigures = { seconds: number; cpuSeconds: number; maxRssMb: number; rows: number };
const imports: ImportFigures[] = [];
const hotImports: ImportFigures[] = [];
const readCsv: { seconds: number }[] = [];
for (let run = 1; run <= runs; run += 1) {
  readCsv.push(await runScript('bench/duckdb-read-csv-child.ts', [onlineRetailCsv]));
  imports.push(await runScript('bench/import-child.ts', [onlineRetailCsv]));
  hotImports.push(await runScript('bench/import-child.ts', [onlineRetailCsv], { STOREPULSE_HOT_DAYS: '36500' }));
  say(`  run ${run}: import ${fmt(imports.at(-1)!.seconds)} s (CPU ${fmt(imports.at(-1)!.cpuSeconds)} s, peak RSS ${fmt(imports.at(-1)!.maxRssMb, 0)} MB), ` +
    `every order hot ${fmt(hotImports.at(-1)!.seconds)} s (peak RSS ${fmt(hotImports.at(-1)!.maxRssMb, 0)} MB), DuckDB read_csv ${fmt(readCsv.at(-1)!.seconds)} s`);
}
const importSeconds = median(imports.map((entry) => entry.seconds));
const readCsvSeconds = median(readCsv.map((entry) => entry.seconds));
const peakRss = Math.max(...imports.map((entry) => entry.maxRssMb));
figures.push(['import online-retail.csv.gz (541,909 rows), s', fmt(importSeconds)]);
figures.push(['DuckDB bare read_csv of the same file, s', fmt(readCsvSeconds)]);
figures.push(['ratio import / read_csv (goal ≤ 3)', fmt(importSeconds / readCsvSeconds)]);
// CPU time of every thread (reader, DuckDB's, V8's): steadier than wall time on a busy machine.
figures.push(['import CPU time, all threads, s', fmt(median(imports.map((entry) => entry.cpuSeconds)))]);
figures.push(['import peak RSS, MB (goal ≤ 500)', fmt(peakRss, 0)]);
const hotSeconds = median(hotImports.map((entry) => entry.seconds));
figures.push(['import with every order in the hot window (store rows too), s', fmt(hotSeconds)]);
figures.push(['ratio of that to read_csv', fmt(hotSeconds / readCsvSeconds)]);
figures.push(['its peak RSS, MB', fmt(Math.max(...hotImports.map((entry) => entry.maxRssMb)), 0)]);

// HTTP: the goal is the accept path (a 2xx once the events are durably in the log) against the bare
// server; with the consumer writing in the same process, ingest shares the main thread with it.
const bare: number[] = [];
const ours: number[] = [];
const acceptOnly: number[] = [];
const drains: number[] = [];
const realBare: number[] = [];
const realAccept: number[] = [];
const realBody = realOrdersBatchBody();
for (let run = 1; run <= runs; run += 1) {
  const bareRun = await measureHttp('bench/bare-http-child.ts', httpSeconds);
  const acceptRun = await measureHttp('bench/storepulse-http-child.ts', httpSeconds, { BENCH_CONSUMER: 'off' });
  const ourRun = await measureHttp('bench/storepulse-http-child.ts', httpSeconds);
  const realBareRun = await measureHttp('bench/bare-http-child.ts', httpSeconds, {}, { body: realBody });
  const realAcceptRun = await measureHttp('bench/storepulse-http-child.ts', httpSeconds, { BENCH_CONSUMER: 'off' }, { body: realBody, drain: false });
  bare.push(bareRun.eventsPerSecond);
  ours.push(ourRun.eventsPerSecond);
  acceptOnly.push(acceptRun.eventsPerSecond);
  drains.push(acceptRun.drain!.eventsPerSecond);
  realBare.push(realBareRun.eventsPerSecond);
  realAccept.push(realAcceptRun.eventsPerSecond);
  say(`  http run ${run}: bare node:http ${fmt(bareRun.eventsPerSecond, 0)} events/s; storepulse into the durable log ${fmt(acceptRun.eventsPerSecond, 0)} (ratio ${fmt(acceptRun.eventsPerSecond / bareRun.eventsPerSecond)}; consumer paused, ` +
    `then drained at ${fmt(acceptRun.drain!.eventsPerSecond, 0)}), ${fmt(ourRun.eventsPerSecond, 0)} with the consumer writing (non-2xx ${ourRun.non2xx + acceptRun.non2xx}, errors ${ourRun.errors + acceptRun.errors}); ` +
    `real invoices: bare ${fmt(realBareRun.eventsPerSecond, 0)}, storepulse ${fmt(realAcceptRun.eventsPerSecond, 0)}`);
}
figures.push(['bare node:http parsing the same bodies, events/s', fmt(median(bare), 0)]);
figures.push(['HTTP ingest into the durable log (100-event batches), events/s', fmt(median(acceptOnly), 0)]);
figures.push(['ratio storepulse / bare (goal ≥ 0.5)', fmt(median(acceptOnly) / median(bare))]);
figures.push(['same with the consumer writing in the process, events/s', fmt(median(ours), 0)]);
figures.push(['ratio storepulse with the consumer writing / bare', fmt(median(ours) / median(bare))]);
figures.push(['consumer drain into store + warehouse, events/s', fmt(median(drains), 0)]);
figures.push(['100 real online-retail invoices a request: ratio storepulse / bare', fmt(median(realAccept) / median(realBare))]);

// Weekly report for the busiest 7 days, generated from a data dir holding the whole file (imported in the same child).
const report = await measureReport(runs);
say(`  report ${report.week.from}..${report.week.to} (${report.orders.toLocaleString('en-US')} orders): ${report.reportSeconds.map((seconds) => fmt(seconds)).join(' s, ')} s (first includes loading fonts and Vega); import in the same child ${fmt(report.importSeconds)} s`);
figures.push([`weekly report of the busiest week (${report.week.from} to ${report.week.to}, exclusive), s`, fmt(report.medianReportSeconds)]);
figures.push(['ratio report / import (goal: a small fraction)', fmt(report.medianReportSeconds / importSeconds, 3)]);

say('');
const width = Math.max(...figures.map(([label]) => label.length));
for (const [label, value] of figures) say(`${label.padEnd(width)}  ${value}`);
