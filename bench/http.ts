/** HTTP ingest throughput with 100-event batches, storepulse against a bare node:http server. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { onlineRetailCsv, repoRoot } from './lib.js';

export interface HttpFigures {
  eventsPerSecond: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  /** With the consumer off during the load: how fast it then drained what was accepted. */
  drain?: { events: number; eventsPerSecond: number };
}

const BATCH = 100;

/**
 * 100 orders of the same two lines, timestamped now (in the hot window, so that the consumer writes
 * them to the store as it would a live shop's). Repetitive: it compresses ~50× in the log and hits
 * the timestamp and price caches every time; realOrdersBatchBody is the harder case.
 */
export function orderBatchBody(): string {
  const ts = new Date().toISOString();
  const events = Array.from({ length: BATCH }, (_, index) => ({
    type: 'order', ts, order_id: `bench-${index}`, customer_id: '17850', country: 'United Kingdom', currency: 'GBP',
    lines: [
      { product_id: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6, unit_price: '2.55' },
      { product_id: '71053', description: 'WHITE METAL LANTERN', quantity: 6, unit_price: '3.39' },
    ],
  }));
  return JSON.stringify({ events });
}

/**
 * The first 100 invoices of the online-retail file, two lines each (as they are there: their
 * products, prices, customers, countries), timestamped a second apart over the last minutes.
 */
export function realOrdersBatchBody(): string {
  const text = gunzipSync(readFileSync(onlineRetailCsv)).subarray(0, 4 << 20).toString('utf8');
  const invoices = new Map<string, string[][]>();
  let complete = 0;
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(',');
    if (fields.length !== 8 || fields.some((field) => field.includes('"'))) continue;
    const rows = invoices.get(fields[0]) ?? [];
    if (rows.length >= 2) continue;
    invoices.set(fields[0], [...rows, fields]);
    if (rows.length === 1 && (complete += 1) === BATCH) break;
  }
  const now = Date.now();
  const events = [...invoices.values()].filter((rows) => rows.length === 2).slice(0, BATCH).map((rows, index) => {
    const [invoice, , , , , , customer, country] = rows[0];
    return {
      type: 'order', ts: new Date(now - (BATCH - index) * 1000).toISOString(), order_id: invoice, customer_id: customer.replace(/\.0$/, '') || undefined,
      country: country.trim(), currency: 'GBP', cancellation: invoice.startsWith('C'),
      lines: rows.map(([, stockCode, description, quantity, , unitPrice]) => ({ product_id: stockCode, description, quantity: Number(quantity), unit_price: unitPrice })),
    };
  });
  if (events.length !== BATCH) throw new Error(`found only ${events.length} two-line invoices at the start of ${onlineRetailCsv}`);
  return JSON.stringify({ events });
}

/**
 * Posts `body` (default orderBatchBody) for `seconds`. With BENCH_CONSUMER=off the paused consumer
 * then drains what was accepted (timed) unless `drain` is false.
 */
export async function measureHttp(
  script: string, seconds: number, env: NodeJS.ProcessEnv = {}, { drain = true, body = orderBatchBody() } = {},
): Promise<HttpFigures> {
  const { child, url, key, nextLine } = await startChild(script, env);
  try {
    const result = await autocannon({
      url: `${url}/v1/events`, method: 'POST', connections: 20, duration: seconds,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body,
    });
    const requestsPerSecond = result.requests.average;
    const figures: HttpFigures = { requestsPerSecond, eventsPerSecond: requestsPerSecond * BATCH, non2xx: result.non2xx, errors: result.errors };
    if (env.BENCH_CONSUMER === 'off' && drain) {
      const drained = nextLine();
      child.kill('SIGUSR2');
      const { drainedEvents, seconds: drainSeconds } = JSON.parse(await drained) as { drainedEvents: number; seconds: number };
      figures.drain = { events: drainedEvents, eventsPerSecond: drainedEvents / drainSeconds };
    }
    return figures;
  } finally {
    // Without the drain, SIGHUP ends the storepulse child at once instead of draining on shutdown.
    await stopChild(child, env.BENCH_CONSUMER === 'off' && !drain ? 'SIGHUP' : 'SIGTERM');
  }
}

interface Child { child: ChildProcess; url: string; key: string; nextLine: () => Promise<string> }

function startChild(script: string, env: NodeJS.ProcessEnv): Promise<Child> {
  return new Promise((resolve, reject) => {
    // BENCH_CHILD_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server under load.
    const extraArgs = process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...extraArgs, '--import', 'tsx', path.join(repoRoot, script)], {
      cwd: repoRoot, env: { ...process.env, STOREPULSE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let started = false;
    const waiters: ((line: string) => void)[] = [];
    const nextLine = () => new Promise<string>((resolveLine) => waiters.push(resolveLine));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      let newline = out.indexOf('\n');
      while (newline >= 0) {
        const line = out.slice(0, newline);
        out = out.slice(newline + 1);
        if (!started) {
          started = true;
          resolve({ child, nextLine, ...(JSON.parse(line) as { url: string; key: string }) });
        } else {
          waiters.shift()?.(line);
        }
        newline = out.indexOf('\n');
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${script} exited early with ${code}`)));
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
