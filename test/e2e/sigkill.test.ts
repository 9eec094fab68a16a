/**
 * DESIGN §1: an event acknowledged with a 2xx is never lost and never counted twice, even when the
 * server is killed with SIGKILL while clients post.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, waitForExit, type ServerProcess } from '../helpers/process.js';

const env = (dataDir: string) => ({ STOREPULSE_DATA_DIR: dataDir, STOREPULSE_WRITE_KEY: 'kill-write-key', STOREPULSE_READ_KEY: 'kill-read-key', STOREPULSE_BATCH_MS: '20' });
const writeHeaders = { authorization: 'Bearer kill-write-key', 'content-type': 'application/json' };
const readHeaders = { authorization: 'Bearer kill-read-key' };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-sigkill-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  server?.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// Live orders (in the hot window), so that each acknowledged one can be looked up in the store.
const NOW = new Date().toISOString();

function batch(client: number, index: number) {
  return Array.from({ length: 50 }, (_, n) => ({
    id: `k-${client}-${index}-${n}`, type: 'order', ts: NOW, order_id: `k-${client}-${index}-${n}`, currency: 'GBP', country: 'France',
    lines: [{ product_id: 'KILL', quantity: 1, unit_price: '1.00' }],
  }));
}

/** Posts batches until the server dies; returns the ids of every batch that got a 2xx. */
async function postUntilDead(url: string, client: number): Promise<string[]> {
  const acknowledged: string[] = [];
  for (let index = 0; index < 10_000; index += 1) {
    const events = batch(client, index);
    try {
      const response = await fetch(`${url}/v1/events`, { method: 'POST', headers: writeHeaders, body: JSON.stringify(events) });
      if (response.status >= 200 && response.status < 300) acknowledged.push(...events.map((event) => event.id));
    } catch {
      return acknowledged;
    }
  }
  return acknowledged;
}

async function kpi(url: string, name: string) {
  const response = await fetch(`${url}/api/kpis/${name}`, { headers: readHeaders });
  return (await response.json() as { rows: Record<string, number>[] }).rows;
}

describe('SIGKILL while clients post', () => {
  it('keeps every acknowledged event exactly once after restart', async () => {
    server = await startServerProcess(env(dataDir));
    const clients = [1, 2, 3].map((client) => postUntilDead(server!.url, client));
    // Let the clients and the consumer get going, then kill without warning.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.child.kill('SIGKILL');
    await waitForExit(server.child);
    const acknowledged = (await Promise.all(clients)).flat();
    expect(acknowledged.length).toBeGreaterThan(0);

    server = await startServerProcess(env(dataDir));
    const url = server.url;
    // The consumer catches up with what the log holds.
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const ready = await (await fetch(`${url}/readyz`)).json() as { pending_events: number };
      if (ready.pending_events === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));

    const [totals] = await kpi(url, 'totals');
    const [sold] = await kpi(url, 'most-sold');
    // Every line has quantity 1 on product KILL: units equal to distinct orders means no order was counted twice.
    expect(sold.units).toBe(totals.orders);
    expect(totals.orders).toBeGreaterThanOrEqual(acknowledged.length);

    // Each acknowledged event is in the store, and posting it again is a duplicate that adds nothing.
    const missing: string[] = [];
    for (let start = 0; start < acknowledged.length; start += 20) {
      await Promise.all(acknowledged.slice(start, start + 20).map(async (id) => {
        const response = await fetch(`${url}/api/invoices/${id}`, { headers: readHeaders });
        if (response.status !== 200) missing.push(id);
      }));
    }
    expect(missing).toEqual([]);
    const repost = await fetch(`${url}/v1/events`, { method: 'POST', headers: writeHeaders, body: JSON.stringify(batch(1, 0)) });
    expect((await repost.json() as { duplicates: string[] }).duplicates).toHaveLength(50);
    const [after] = await kpi(url, 'totals');
    expect(after.orders).toBe(totals.orders);
  });
});
