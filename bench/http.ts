/** HTTP ingest throughput with 100-event batches, storepulse against a bare node:http server. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { repoRoot } from './lib.js';

export interface HttpFigures { eventsPerSecond: number; requestsPerSecond: number; non2xx: number; errors: number }

const BATCH = 100;

export function orderBatchBody(): string {
  const events = Array.from({ length: BATCH }, (_, index) => ({
    type: 'order', ts: '2011-11-14T08:26:00Z', order_id: `bench-${index}`, customer_id: '17850', country: 'United Kingdom', currency: 'GBP',
    lines: [
      { product_id: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6, unit_price: '2.55' },
      { product_id: '71053', description: 'WHITE METAL LANTERN', quantity: 6, unit_price: '3.39' },
    ],
  }));
  return JSON.stringify({ events });
}

export async function measureHttp(script: string, seconds: number): Promise<HttpFigures> {
  const { child, url, key } = await startChild(script);
  try {
    const result = await autocannon({
      url: `${url}/v1/events`, method: 'POST', connections: 20, duration: seconds,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: orderBatchBody(),
    });
    const requestsPerSecond = result.requests.average;
    return { requestsPerSecond, eventsPerSecond: requestsPerSecond * BATCH, non2xx: result.non2xx, errors: result.errors };
  } finally {
    await stopChild(child);
  }
}

function startChild(script: string): Promise<{ child: ChildProcess; url: string; key: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, script)], {
      cwd: repoRoot, env: { ...process.env, STOREPULSE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, ...(JSON.parse(line) as { url: string; key: string }) });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${script} exited early with ${code}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
