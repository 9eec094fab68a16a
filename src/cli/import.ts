/** `storepulse import FILE…`: loads files with a progress bar, prints a summary, exits 1 if any row failed. */
import path from 'node:path';
import fs from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openApp } from '../app.js';
import { importFile, type FileImportSummary } from '../ingest/import-files.js';
import { readServerInfo } from '../server-info.js';
import { exitWithReason } from './usage.js';

const PROBLEMS_SHOWN = 20;

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('load online-retail CSV, Diskovery sales JSON / products CSV, or NDJSON files (.gz too)')
    .argument('<files...>', 'files to load')
    .option('--force', 'load again even if the same content was loaded before (adds nothing new)')
    .action(async (files: string[], options: { force?: boolean }) => {
      const config = loadConfig();
      const missing = files.filter((file) => !fs.existsSync(file));
      if (missing.length > 0) fail(`no such file: ${missing.join(', ')}`);
      const server = readServerInfo(config.dataDir);
      if (server) {
        fail(`a storepulse server (pid ${server.pid}) owns ${config.dataDir}; drop the files into its inbox (${config.dataDir}/buckets/inbox/) or stop it first`);
      }
      const app = await openApp(config, createLogger());
      let failed = false;
      try {
        for (const file of files) {
          try {
            const summary = await importWithProgressBar(app, file, options.force ?? false);
            printSummary(summary);
            if (summary.failedRows > 0) failed = true;
          } catch (error) {
            // A file that cannot be read as a whole (unknown format, damaged gzip…): say so, go on with the next.
            process.stderr.write(`storepulse import: ${path.basename(file)} was not loaded: ${(error as Error).message}\n`);
            failed = true;
          }
        }
      } finally {
        await app.close();
      }
      process.exitCode = failed ? 1 : 0;
    });
}

async function importWithProgressBar(app: Awaited<ReturnType<typeof openApp>>, file: string, force: boolean): Promise<FileImportSummary> {
  const bar = new cliProgress.SingleBar({
    format: `${path.basename(file)} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`,
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: false,
  }, cliProgress.Presets.shades_classic);
  const showBar = process.stderr.isTTY;
  if (showBar) bar.start(100, 0, { rows: 0 });
  try {
    return await importFile(app, file, {
      force,
      onProgress: (progress) => {
        if (showBar) bar.update(Math.floor((progress.bytesRead / Math.max(progress.totalBytes, 1)) * 100), { rows: progress.rows.toLocaleString('en-US') });
      },
    });
  } finally {
    if (showBar) bar.stop();
  }
}

function printSummary(summary: FileImportSummary): void {
  const n = (value: number) => value.toLocaleString('en-US');
  if (summary.skippedAsAlreadyLoaded) {
    process.stdout.write(`${summary.name}: already loaded (same content, ${n(summary.rows)} rows); nothing to do. Use --force to load it again.\n`);
    return;
  }
  process.stdout.write(
    `${summary.name} (${summary.format}): ${n(summary.rows)} rows, ${n(summary.events)} events, ` +
    `${n(summary.applied)} new, ${n(summary.duplicates)} already loaded, ${n(summary.orders)} orders with ${n(summary.orderLines)} lines, ` +
    `${n(summary.failedRows)} failed rows, ${summary.seconds.toFixed(1)} s\n`,
  );
  for (const problem of summary.problems.slice(0, PROBLEMS_SHOWN)) {
    process.stdout.write(`  ${problem.file} line ${problem.line}: ${problem.field}: ${problem.reason}\n`);
  }
  if (summary.failedRows > PROBLEMS_SHOWN) {
    process.stdout.write(`  … and ${n(summary.failedRows - PROBLEMS_SHOWN)} more; all failed rows are in the dead letters (GET /api/dead-letters)\n`);
  }
}

function fail(message: string): never {
  return exitWithReason('import', message);
}
