/**
 * The pipeline's own records over HTTP: jobs (list, run now), job runs, notifications and dead
 * letters (list, replay). Reading needs the read key (the scope this plugin is registered in);
 * running a job and replaying a letter change data, so they need the write key when one is given.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App } from '../app.js';
import { parseEvents, validateRules } from '../consumer/steps.js';
import { TimeError, parseBound } from '../events/time.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { DeadLetter } from '../store/port.js';
import { requireKey } from './auth.js';

export interface PipelineRoutesOptions {
  app: App;
  scheduler: Scheduler;
  /** When given, POST routes (run a job, replay a dead letter) require it. */
  writeKey?: string;
}

const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const JobRunsQuery = Paging.extend({ job: z.string().min(1).max(100).optional() });
const RunQuery = z.object({ at: z.string().min(1).max(40).optional() });
const LetterId = z.coerce.number().int().positive();

export async function pipelineRoutes(server: FastifyInstance, options: PipelineRoutesOptions): Promise<void> {
  const { app, scheduler } = options;
  const writeGuard = options.writeKey ? { onRequest: requireKey('write', options.writeKey) } : {};

  server.get('/api/jobs', async () => ({ jobs: scheduler.list() }));

  server.post<{ Params: { name: string } }>('/api/jobs/:name/run', writeGuard, async (request, reply) => {
    const { name } = request.params;
    const known = scheduler.list().map((job) => job.name);
    if (!known.includes(name)) return reply.code(404).send({ error: 'not_found', message: `no job named "${name}"; jobs are ${known.join(', ')}` });
    const query = RunQuery.safeParse(request.query);
    if (!query.success) return badRequest(reply, query.error.issues[0].message);
    let at: Date | undefined;
    if (query.data.at) {
      try {
        at = new Date(parseBound(query.data.at, app.config.timeZone));
      } catch (error) {
        if (error instanceof TimeError) return badRequest(reply, `at: ${error.message}`);
        throw error;
      }
    }
    return scheduler.runNow(name, at);
  });

  server.get('/api/job-runs', async (request, reply) => {
    const query = JobRunsQuery.safeParse(request.query);
    if (!query.success) return badRequest(reply, query.error.issues[0].message);
    return app.store.listJobRuns(query.data);
  });

  server.get('/api/notifications', async (request, reply) => {
    const query = Paging.safeParse(request.query);
    if (!query.success) return badRequest(reply, query.error.issues[0].message);
    return app.store.listNotifications(query.data);
  });

  server.get('/api/dead-letters', async (request, reply) => {
    const query = Paging.safeParse(request.query);
    if (!query.success) return badRequest(reply, query.error.issues[0].message);
    return app.store.listDeadLetters(query.data);
  });

  server.post<{ Params: { id: string } }>('/api/dead-letters/:id/replay', writeGuard, async (request, reply) => {
    const id = LetterId.safeParse(request.params.id);
    if (!id.success) return badRequest(reply, `dead letter id ${JSON.stringify(request.params.id)} is not a positive whole number`);
    const letter = await app.store.getDeadLetter(id.data);
    if (!letter) return reply.code(404).send({ error: 'not_found', message: `no dead letter ${id.data}; it may have been replayed already` });
    return replay(app, letter, reply);
  });
}

/**
 * Checks the payload as the consumer would before writing anything, so that a letter that still
 * fails is answered with its reason and stays as it is (no second letter for the same payload).
 */
async function replay(app: App, letter: DeadLetter, reply: FastifyReply) {
  const row = fileRowOf(letter.payload);
  if (row) {
    return reply.code(409).send({
      error: 'not_replayable', id: letter.id,
      message: `dead letter ${letter.id} is line ${row.line} of the file ${row.file}, not an event: fix that row and put the file in the inbox again `
        + '(rows already loaded are not counted twice), then delete this letter',
    });
  }
  const origin = `replay:${letter.id}`;
  const parsed = parseEvents([letter.payload], origin);
  const checked = validateRules(parsed.events, { currency: app.config.currency, nowMs: Date.now(), origin });
  const problem = parsed.deadLetters[0] ?? checked.deadLetters[0];
  if (problem) return stillFails(reply, letter.id, problem.reason);
  const outcome = await app.pipeline.processRaw([letter.payload], origin);
  if (outcome.deadLettered > 0) return stillFails(reply, letter.id, 'the consumer refused it again; see the newest dead letters');
  await app.store.deleteDeadLetter(letter.id);
  const applied = outcome.applied > 0;
  return {
    replayed: true, id: letter.id, applied: outcome.applied, duplicates: outcome.duplicates,
    message: applied ? `dead letter ${letter.id} is applied now and deleted` : `dead letter ${letter.id} was already applied earlier (a duplicate); deleted`,
  };
}

function stillFails(reply: FastifyReply, id: number, reason: string) {
  return reply.code(422).send({
    replayed: false, id, reason,
    message: `dead letter ${id} still fails: ${reason}; it stays in the dead letters. Fix the producer and send the event again.`,
  });
}

/** Rows an import left out are stored as { file, line, field, reason }: there is no event to replay. */
function fileRowOf(payload: unknown): { file: string; line: number } | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const candidate = payload as Record<string, unknown>;
  if ('type' in candidate || typeof candidate.file !== 'string' || typeof candidate.line !== 'number') return undefined;
  return { file: candidate.file, line: candidate.line };
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: 'bad_request', message });
}
