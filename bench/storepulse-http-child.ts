/** storepulse's server on a fresh data dir, for the ingest benchmark. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/cli/start.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-bench-http-'));
const config = loadConfig({ ...process.env, STOREPULSE_DATA_DIR: dataDir, STOREPULSE_PORT: '0', STOREPULSE_WRITE_KEY: 'bench-write-key', STOREPULSE_READ_KEY: 'bench-read-key' });
// BENCH_CONSUMER=off measures the accept path alone; SIGUSR2 then drains the log and reports.
const consumerOn = process.env.BENCH_CONSUMER !== 'off';
const server = await startServer(config, createLogger(), undefined, { consumer: consumerOn });
process.stdout.write(`${JSON.stringify({ url: server.url, key: 'bench-write-key' })}\n`);
process.on('SIGUSR2', () => {
  void (async () => {
    const pending = await server.app.log.pending('storepulse');
    const started = performance.now();
    await server.app.consumer.drain();
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ drainedEvents: pending.events, seconds })}\n`);
  })();
});
process.on('SIGTERM', () => {
  void server.stop().then(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
// For profiling runs (BENCH_CHILD_NODE_ARGS=--cpu-prof): exit at once, without the shutdown drain, so the profile holds the load only.
process.on('SIGHUP', () => process.exit(0));
