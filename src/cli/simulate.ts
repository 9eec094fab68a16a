/**
 * `storepulse simulate --url URL --rate N`: streams generated store traffic to a running server;
 * with `--replay FILE`, replays the online-retail CSV as a stream of orders instead.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { resolveKeys } from '../web/keys.js';
import { runSimulator } from '../demo/simulator.js';
import { streamOnlineRetail } from '../demo/online-retail-stream.js';
import type { SendTotals } from '../demo/sender.js';
import { exitWithReason } from './usage.js';

interface SimulateFlags { url: string; rate: string; duration?: string; key?: string; replay?: string }

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('stream generated store traffic (views, carts, orders, probes) to a running server')
    .option('--url <url>', 'server URL', 'http://127.0.0.1:8080')
    .option('--rate <n>', 'events per second (orders per second with --replay)', '50')
    .option('--duration <seconds>', 'stop after this many seconds (default: until Ctrl-C)')
    .option('--key <key>', 'write key (default: STOREPULSE_WRITE_KEY or the data dir\'s keys.json)')
    .option('--replay <file>', 'replay an online-retail CSV (.gz) as orders, keeping its invoice ids')
    .action(async (flags: SimulateFlags) => {
      const rate = Number(flags.rate);
      if (!Number.isFinite(rate) || rate <= 0) fail(`--rate must be a positive number, got "${flags.rate}"`);
      const config = loadConfig();
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const common = {
        url: flags.url.replace(/\/$/, ''),
        writeKey: flags.key ?? config.writeKey ?? resolveKeys(config.dataDir, {}).writeKey,
        rate,
        durationMs: flags.duration ? Number(flags.duration) * 1000 : undefined,
        signal: controller.signal,
        currency: config.currency,
        onProgress: (sent: number, accepted: number, rejected: number) => {
          if (process.stderr.isTTY) process.stderr.write(`\rsent ${sent}, accepted ${accepted}, rejected ${rejected}   `);
        },
      };
      const started = Date.now();
      const result: SendTotals = flags.replay
        ? await streamOnlineRetail({ ...common, file: flags.replay, timeZone: config.timeZone })
        : await runSimulator(common);
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`\nsimulate: ${result.sent} sent, ${result.accepted} accepted, ${result.duplicates} duplicates, ${result.rejected} rejected, ${result.errors} errors in ${seconds.toFixed(1)} s\n`);
      if (result.lastError) process.stdout.write(`last error: ${result.lastError}\n`);
      if (result.errors > 0 && result.accepted === 0) process.exitCode = 1;
    });
}

function fail(message: string): never {
  return exitWithReason('simulate', message);
}
