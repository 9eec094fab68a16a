/**
 * The inbox over HTTP: `PUT /api/inbox/:name` streams a file into the inbox bucket (write key) and
 * wakes the inbox job; `GET /api/inbox` lists the inbox, processed and failed buckets.
 */
import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { App } from '../app.js';
import type { Bucket, ObjectEntry } from '../objects/port.js';
import { requireKey } from './auth.js';

export const INBOX_UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024;
const MAX_NAME_LENGTH = 200;
/** One plain file name: no folders, no hidden or temporary names (the inbox job skips those). */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+ -]*$/;
const TEMPORARY_SUFFIX = /\.(part|partial|tmp|crdownload|download)$|~$/i;

export interface InboxRoutesOptions {
  app: App;
  /** Called once a file is stored: the server triggers the inbox job. */
  onArrival: () => void;
  writeKey: string;
  /** Default 512 MiB. */
  maxUploadBytes?: number;
}

class UploadTooLargeError extends Error {}

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export async function inboxRoutes(server: FastifyInstance, options: InboxRoutesOptions): Promise<void> {
  const { app } = options;
  const limit = options.maxUploadBytes ?? INBOX_UPLOAD_LIMIT_BYTES;
  // Any content type: the body goes to the bucket as it comes, never buffered (this plugin only).
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  server.put<{ Params: { name: string } }>('/api/inbox/:name', { onRequest: requireKey('write', options.writeKey) }, async (request, reply) => {
    const { name } = request.params;
    const problem = nameProblem(name);
    if (problem) {
      return reply.code(400).send({ error: 'bad_name', message: `inbox file name ${JSON.stringify(name)} ${problem}; use a plain file name like online-retail.csv.gz` });
    }
    const declared = Number(request.headers['content-length']);
    if (declared > limit) return reply.code(413).send(tooLarge(name, limit));
    const body = request.body as Readable | undefined;
    if (!body || declared === 0) return reply.code(400).send({ error: 'empty_body', message: `send the content of ${name} as the request body` });
    const counter = byteCounter(limit);
    // pipe (not pipeline): an over-limit upload must not destroy the request, or no 413 could be sent.
    body.on('error', (error) => counter.destroy(error));
    body.on('close', () => {
      if (!body.readableEnded) counter.destroy(new Error(`the upload of ${name} was interrupted before its end; nothing was stored`));
    });
    try {
      await app.objects.put('inbox', name, body.pipe(counter));
    } catch (error) {
      if (error instanceof UploadTooLargeError || counter.tooLarge) return reply.code(413).send(tooLarge(name, limit));
      throw error;
    }
    if (counter.bytes === 0) {
      await app.objects.delete('inbox', name);
      return reply.code(400).send({ error: 'empty_body', message: `send the content of ${name} as the request body` });
    }
    options.onArrival();
    return reply.code(202).send({
      bucket: 'inbox', key: name, size: counter.bytes,
      message: `stored as inbox/${name}; the inbox job loads it now (and checks every minute); it then moves to processed/${name}, `
        + `or to failed/${name} with ${name}.errors.json. Follow it with GET /api/inbox and GET /api/notifications.`,
    });
  });

  server.get('/api/inbox', async (request, reply) => {
    const parsed = ListQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request', message: parsed.error.issues[0].message });
    const [inbox, processed, failed] = await Promise.all((['inbox', 'processed', 'failed'] as Bucket[]).map((bucket) => listNewest(app, bucket, parsed.data.limit)));
    return { inbox, processed, failed };
  });
}

function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (name.includes('/') || name.includes('\\') || name.startsWith('..')) return 'contains a path ("/", "\\" or "..")';
  if (!FILE_NAME.test(name)) return 'must start with a letter or digit and hold only letters, digits, ".", "_", "-", "+" and spaces';
  if (TEMPORARY_SUFFIX.test(name)) return 'ends like a temporary file (.part, .tmp, …), which the inbox job never loads';
  return undefined;
}

function tooLarge(name: string, limit: number) {
  return { error: 'payload_too_large', message: `${name} is larger than the upload limit of ${limit} bytes; copy it into the inbox folder of the data dir instead` };
}

/** Counts the bytes passing through and fails the stream once they exceed `limit` (the put then leaves nothing behind). */
function byteCounter(limit: number): Transform & { bytes: number; tooLarge: boolean } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counter.bytes += chunk.length;
      if (counter.bytes > limit) {
        counter.tooLarge = true;
        done(new UploadTooLargeError(`upload over ${limit} bytes`));
        return;
      }
      done(null, chunk);
    },
  }) as Transform & { bytes: number; tooLarge: boolean };
  counter.bytes = 0;
  counter.tooLarge = false;
  return counter;
}

async function listNewest(app: App, bucket: Bucket, limit: number) {
  const entries = await app.objects.list(bucket);
  const newest = [...entries].sort((a, b) => b.modified.getTime() - a.modified.getTime()).slice(0, limit);
  return { total: entries.length, files: newest.map(describeEntry) };
}

function describeEntry(entry: ObjectEntry) {
  return { key: entry.key, size: entry.size, modified: entry.modified.toISOString() };
}
