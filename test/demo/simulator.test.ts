import { describe, expect, it } from 'vitest';
import { runSimulator } from '../../src/demo/simulator.js';
import { WRITE_KEY, servers, startIngestServer } from './ingest-server.js';

describe('runSimulator', () => {
  it('delivers every event once, retrying a 503 with the same ids', async () => {
    const ingest = await startIngestServer({ failFirst: 1 });
    const progress: number[] = [];
    const result = await runSimulator({
      url: `${ingest.url}/`, writeKey: WRITE_KEY, rate: 5000, maxEvents: 600, batchSize: 100, retryDelayMs: 5, runId: 'retry-test',
      onProgress: (sent) => progress.push(sent),
    });
    expect(result).toMatchObject({ sent: 600, accepted: 600, duplicates: 0, rejected: 0, errors: 1 });
    expect(ingest.requests[0].status).toBe(503);
    expect(ingest.requests[1].ids).toEqual(ingest.requests[0].ids);
    const delivered = ingest.requests.filter((request) => request.status === 202).flatMap((request) => request.ids);
    expect(delivered).toHaveLength(600);
    expect(new Set(delivered).size).toBe(600);
    expect(ingest.seen.size).toBe(600);
    expect(progress.at(-1)).toBe(600);
    for (const id of delivered) expect(id).toMatch(/^sim:retry-test:\d+$/);
  });

  it('streams the shop: views, cart adds, orders and probes, stamped in order', async () => {
    const ingest = await startIngestServer();
    await runSimulator({ url: ingest.url, writeKey: WRITE_KEY, rate: 5000, maxEvents: 3000, batchSize: 500, runId: 'mix' });
    const events = ingest.requests.flatMap((request) => request.events);
    const types = new Set(events.map((event) => event.type));
    for (const type of ['product_view', 'cart_add', 'order', 'probe']) expect(types).toContain(type);
    const timestamps = events.map((event) => Number(event.ts));
    expect(timestamps.every((ts, index) => index === 0 || ts >= timestamps[index - 1])).toBe(true);
    for (const event of events) expect(event.source).toBe('simulator');
    const orderIds = events.filter((event) => event.type === 'order').map((event) => String(event.order_id));
    for (const orderId of orderIds) expect(orderId).toMatch(/^C?Smix-\d+$/);
  });

  it('stops cleanly when aborted, counting only what the server answered', async () => {
    const controller = new AbortController();
    const ingest = await startIngestServer({ onRequest: (count) => count === 3 && controller.abort() });
    const result = await runSimulator({ url: ingest.url, writeKey: WRITE_KEY, rate: 2000, batchSize: 20, signal: controller.signal });
    expect(ingest.requests).toHaveLength(3);
    expect(result.sent).toBe(60);
    expect(result.accepted).toBe(60);
    expect(result.errors).toBe(0);
  });

  it('stops after durationMs, having sent no more than the rate allows in it', async () => {
    const ingest = await startIngestServer();
    const result = await runSimulator({ url: ingest.url, writeKey: WRITE_KEY, rate: 1000, durationMs: 200, batchSize: 50 });
    expect(result.sent).toBeGreaterThan(0);
    expect(result.sent).toBeLessThanOrEqual(201);
    expect(ingest.seen.size).toBe(result.sent);
  });

  it('stops with the reason when the write key is refused, without retrying', async () => {
    const ingest = await startIngestServer();
    const result = await runSimulator({ url: ingest.url, writeKey: 'wrong-key-456', rate: 1000, maxEvents: 100 });
    expect(result).toMatchObject({ sent: 0, accepted: 0, errors: 1 });
    expect(result.lastError).toMatch(/401.*write key/);
    expect(ingest.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts when the server cannot be reached, and says so', async () => {
    const ingest = await startIngestServer();
    const url = ingest.url;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const result = await runSimulator({ url, writeKey: WRITE_KEY, rate: 1000, maxEvents: 10, maxAttempts: 3, retryDelayMs: 1 });
    expect(result).toMatchObject({ sent: 0, errors: 3 });
    expect(result.lastError).toMatch(/ECONNREFUSED.*3 attempts/);
  });
});
