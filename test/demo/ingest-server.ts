import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { checkEvent, type EventProblem } from '../../src/events/schemas.js';

/** Test helper (not a test file): a loopback stand-in for the ingest endpoint. */
export const WRITE_KEY = 'test-write-key-123';

export interface ReceivedRequest {
  status: number;
  ids: string[];
  events: Record<string, unknown>[];
}

/** A stand-in for POST /v1/events: validates with the real contract, dedupes by id, answers like the server. */
export async function startIngestServer(behaviour: { failFirst?: number; onRequest?(count: number): void } = {}) {
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

export const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

