import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkEvent, type EventProblem } from '../../src/events/schemas.js';
import { runSimulator } from '../../src/demo/simulator.js';

const WRITE_KEY = 'test-write-key-123';

interface ReceivedRequest {
  status: number;
  ids: string[];
  events: Record<string, unknown>[];
}

/** A stand-in for POST /v1/events: validates with the real contract, dedupes by id, answers like the server. */
async function startIngestServer(behaviour: { failFirst?: number; onRequest?(count: number): void } = {}) {
  const requests: ReceivedRequest[] = [];
  const seen = new Set<string>();
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const events = (JSON.parse(body) as { events: Record<string, unknown>[] }).events;
      const ids = events.map((event) => String(event.id));
      const reply = (status: number, answer: unknown) => {
        requests.push({ status, ids, events });
        behaviour.onRequest?.(requests.length);
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      };
      if (request.url !== '/v1/events' || request.headers.authorization !== `Bearer ${WRITE_KEY}`) return reply(401, { error: 'unauthorized', message: 'write key required' });
      if (requests.length < (behaviour.failFirst ?? 0)) return reply(503, { error: 'unavailable' });
      const answer = { accepted: [] as string[], duplicates: [] as string[], rejected: [] as EventProblem[] };
      events.forEach((event, index) => {
        const check = checkEvent(event, index);
        if (!check.ok) answer.rejected.push(check.problem);
        else if (seen.has(check.event.id)) answer.duplicates.push(check.event.id);
        else {
          seen.add(check.event.id);
          answer.accepted.push(check.event.id);
        }
      });
      reply(202, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, seen };
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

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
