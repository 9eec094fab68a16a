/** `storepulse simulate --url URL --rate N`: streams generated store traffic to a running server. */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { resolveKeys } from '../web/keys.js';
import { runSimulator } from '../demo/simulator.js';

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('stream generated store traffic (views, carts, orders, probes) to a running server')
    .option('--url <url>', 'server URL', 'http://127.0.0.1:8080')
    .option('--rate <n>', 'events per second', '50')
    .option('--duration <seconds>', 'stop after this many seconds (default: until Ctrl-C)')
    .option('--key <key>', 'write key (default: STOREPULSE_WRITE_KEY or the data dir\'s keys.json)')
    .action(async (options: { url: string; rate: string; duration?: string; key?: string }) => {
      const rate = Number(options.rate);
      if (!Number.isFinite(rate) || rate <= 0) fail(`--rate must be a positive number, got "${options.rate}"`);
      const config = loadConfig();
      const writeKey = options.key ?? config.writeKey ?? resolveKeys(config.dataDir, {}).writeKey;
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const started = Date.now();
      const result = await runSimulator({
        url: options.url.replace(/\/$/, ''),
        writeKey,
        rate,
        durationMs: options.duration ? Number(options.duration) * 1000 : undefined,
        signal: controller.signal,
        onProgress: (sent, accepted, rejected) => {
          if (process.stderr.isTTY) process.stderr.write(`\rsent ${sent}, accepted ${accepted}, rejected ${rejected}   `);
        },
      });
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`\nsimulate: ${result.sent} sent, ${result.accepted} accepted, ${result.duplicates} duplicates, ${result.rejected} rejected, ${result.errors} errors in ${seconds.toFixed(1)} s\n`);
      if (result.errors > 0 && result.accepted === 0) process.exitCode = 1;
    });
}

function fail(message: string): never {
  process.stderr.write(`storepulse simulate: ${message}\n`);
  process.exit(2);
}
