/**
 * POST /v1/events (DESIGN §3): a JSON array, `{ "events": [...] }`, or NDJSON. Every event is
 * checked against its contract; the valid ones are appended to the log as one entry, and the
 * answer (a 2xx only after that append is durable) names accepted, duplicate and rejected events.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkEventWithSchema, type EventProblem, type StorepulseEvent } from '../events/schemas.js';
import { fastCheckEvent } from '../events/fast-path.js';
import { eventsOfJson, ndjsonLines, withoutControlCharacters, type BodyFormat } from '../events/request-body.js';
import type { EventLog } from '../log/port.js';
import { requireKey } from './auth.js';

export interface IngestOptions {
  log: EventLog;
  writeKey: string;
  maxEventBytes: number;
  maxRequestBytes: number;
}

export interface IngestAnswer {
  accepted: string[];
  duplicates: string[];
  rejected: EventProblem[];
}

const MAX_EVENTS_PER_REQUEST = 10_000;
/** No valid event nests deeper than a few levels; a deeper one is refused before anything recurses into it. */
const MAX_NESTING_DEPTH = 32;

class BodyError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export async function ingestRoutes(app: FastifyInstance, options: IngestOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxRequestBytes }, (_request, body, done) => done(null, body));

  app.setErrorHandler(async (error: { code?: string; statusCode?: number; message: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({
        error: 'request_too_large',
        message: `request body exceeds the ${formatBytes(options.maxRequestBytes)} per-request limit (STOREPULSE_MAX_REQUEST_BYTES); send fewer events per request`,
      });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'ingest failed; the client should retry with the same ids');
    return reply.code(status).send({ error: status === 500 ? 'internal_error' : 'bad_request', message: error.message });
  });

  app.post('/v1/events', { preHandler: requireKey('write', options.writeKey) }, async (request, reply) => {
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) return badRequest(reply, 'empty body: send a JSON array of events, { "events": [...] }, or NDJSON');
    const format: BodyFormat = /ndjson|jsonl|json-seq/i.test(request.headers['content-type'] ?? '') ? 'ndjson' : 'json';
    let checked: CheckedEvents;
    try {
      checked = checkEvents(readEvents(body, format, options.maxEventBytes), withoutControlCharacters(body));
    } catch (error) {
      if (error instanceof BodyError) return reply.code(error.statusCode).send({ error: error.statusCode === 413 ? 'event_too_large' : 'bad_request', message: error.message });
      throw error;
    }
    const answer = await appendEvents(checked, options.log, body, format);
    const status = answer.accepted.length > 0 ? 202 : answer.rejected.length > 0 ? 400 : 200;
    return reply.code(status).send(answer);
  });
}

interface CheckedEvents {
  valid: StorepulseEvent[];
  /** Per valid event: the client sent no id, so the one it has was generated here. */
  idGenerated: boolean[];
  /** Per event of the body: the id it is taken under, or null when rejected. */
  bodyIds: (string | null)[];
  rejected: EventProblem[];
}

function checkEvents(rawEvents: unknown[], stringsClean: boolean): CheckedEvents {
  const checked: CheckedEvents = { valid: [], idGenerated: [], bodyIds: new Array<string | null>(rawEvents.length), rejected: [] };
  for (let index = 0; index < rawEvents.length; index += 1) {
    const raw = rawEvents[index];
    // The fast path reads a fixed shape and never recurses: only what it leaves to zod needs the depth bound.
    let event = fastCheckEvent(raw, { withoutControlCharacters: stringsClean });
    if (!event) {
      checkNestingDepth(raw, index);
      const check = checkEventWithSchema(raw, index);
      if (!check.ok) {
        checked.rejected.push(check.problem);
        checked.bodyIds[index] = null;
        continue;
      }
      event = check.event;
    }
    checked.bodyIds[index] = event.id;
    checked.valid.push(event);
    checked.idGenerated.push((raw as { id?: unknown }).id === undefined);
  }
  return checked;
}

async function appendEvents({ valid, idGenerated, bodyIds, rejected }: CheckedEvents, log: EventLog, body: Buffer, format: BodyFormat): Promise<IngestAnswer> {
  if (valid.length === 0) return { accepted: [], duplicates: [], rejected };
  // The body goes along so that the log can store it as received instead of serializing the events again.
  const appended = await log.append(valid, { idGenerated, body: { format, body, ids: bodyIds } });
  return { accepted: appended.accepted, duplicates: appended.duplicates, rejected };
}

/** Splits the body into raw events, enforcing the per-event size limit. */
function readEvents(body: Buffer, format: BodyFormat, maxEventBytes: number): unknown[] {
  const events = format === 'ndjson' ? readNdjson(body, maxEventBytes) : readJson(body, maxEventBytes);
  if (events.length === 0) throw new BodyError(400, 'no events in the body');
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new BodyError(413, `${events.length} events in one request; at most ${MAX_EVENTS_PER_REQUEST} are taken per request`);
  }
  return events;
}

function readJson(body: Buffer, maxEventBytes: number): unknown[] {
  let parsed: unknown;
  try {
    // V8's JSON.parse is iterative: a hostile deep body cannot exhaust the stack here.
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BodyError(400, `body is not valid JSON (${(error as Error).message}); send a JSON array, { "events": [...] }, or NDJSON with Content-Type: application/x-ndjson`);
  }
  const events = eventsOfJson(parsed);
  if (!events) throw new BodyError(400, 'body must be a JSON array of events or an object { "events": [...] }');
  // Only a body larger than the per-event limit can hold an event over it.
  if (body.length > maxEventBytes) {
    events.forEach((event, index) => {
      checkNestingDepth(event, index); // JSON.stringify recurses
      checkEventSize(Buffer.byteLength(JSON.stringify(event) ?? ''), index, maxEventBytes);
    });
  }
  return events;
}

function readNdjson(body: Buffer, maxEventBytes: number): unknown[] {
  const events: unknown[] = [];
  ndjsonLines(body.toString('utf8')).forEach((line) => {
    checkEventSize(Buffer.byteLength(line.text), events.length, maxEventBytes);
    try {
      events.push(JSON.parse(line.text));
    } catch (error) {
      throw new BodyError(400, `line ${line.lineNumber} is not valid JSON (${(error as Error).message})`);
    }
  });
  return events;
}

/** Refuses an event that nests deeper than any valid one, without recursing itself. */
function checkNestingDepth(event: unknown, index: number): void {
  const values: unknown[] = [event];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_NESTING_DEPTH) {
      throw new BodyError(400, `event ${index} nests deeper than ${MAX_NESTING_DEPTH} levels; no event has that shape`);
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      values.push(child);
      depths.push(depth + 1);
    }
  }
}

function checkEventSize(bytes: number, index: number, maxEventBytes: number): void {
  if (bytes > maxEventBytes) {
    throw new BodyError(413, `event ${index} is ${formatBytes(bytes)}, over the ${formatBytes(maxEventBytes)} per-event limit (STOREPULSE_MAX_EVENT_BYTES); nothing in this request was accepted`);
  }
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: 'bad_request', message });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
