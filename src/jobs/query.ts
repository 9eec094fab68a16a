/**
 * User queries (DESIGN §6 "query", seed 003): a shop owner asks for the order lines of one country
 * in [from, to); submitQuery validates and records the request, and the query job exports each
 * pending query to exports/queries/<id>.csv and notifies "Your query has been processed: <link>".
 * A query that fails is recorded as failed with its reason and notified; the other queries of the
 * run go on, so one bad query never holds up the rest.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { App } from '../app.js';
import { formatNumber } from '../notify/messages.js';
import { describeError } from '../notify/retry.js';
import type { QueryRecord } from '../store/port.js';
import { KpiRequestError, resolveKpiQuery } from '../warehouse/kpi-request.js';
import type { Job, JobContext, JobOutcome } from './job.js';
import { putFile, withTempDir } from './export-file.js';

export class QueryRequestError extends Error {
  override name = 'QueryRequestError';
}

export interface QueryRequest {
  from: string;
  to: string;
  country: string;
}

const QueryRequestSchema = z.object({
  from: z.string({ message: 'is required: a date like 2011-01-01 (inclusive)' }).min(1, 'must not be empty'),
  to: z.string({ message: 'is required: a date like 2011-02-01 (exclusive)' }).min(1, 'must not be empty'),
  country: z.string({ message: 'is required: a country name like France' }).trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
}, { message: 'send a JSON object {from, to, country}' });

const PAGE = 200;

/** Validates a request and records it as pending; the query job does the export. */
export async function submitQuery(app: App, request: QueryRequest): Promise<QueryRecord> {
  const parsed = QueryRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new QueryRequestError(issue.path.length ? `${issue.path.join('.')} ${issue.message}` : issue.message);
  }
  const { from, to, country } = parsed.data;
  let range;
  try {
    range = resolveKpiQuery({ from, to }, app.config.timeZone);
  } catch (error) {
    if (error instanceof KpiRequestError) throw new QueryRequestError(error.message);
    throw error;
  }
  const query: QueryRecord = {
    id: newQueryId(), from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(),
    country: resolveCountry(country, await app.warehouse.countries()), status: 'pending',
    created_at: new Date().toISOString(), finished_at: null, rows: null, object_key: null, error: null,
  };
  await app.store.saveQuery(query);
  return query;
}

export function queryJob(app: App): Job {
  return {
    name: 'query',
    description: 'exports each pending user query (order lines of a country in [from, to)) to exports/queries/<id>.csv and notifies its link',
    defaultSchedule: null,
    run: (context) => runPendingQueries(app, context),
  };
}

/** The download link of a query's CSV, as notified and answered by the API. */
export function queryDownloadLink(app: App, id: string): string {
  return `${app.baseUrl}/api/queries/${encodeURIComponent(id)}/download`;
}

export function queryObjectKey(id: string): string {
  return `queries/${id}.csv`;
}

async function runPendingQueries(app: App, context: JobContext): Promise<JobOutcome> {
  const processed: QueryRecord[] = [];
  for (let batch = await queriesToRun(app); batch.length > 0; batch = await queriesToRun(app)) {
    for (const query of batch) {
      // Left pending: the next run takes it.
      if (context.signal.aborted) return outcomeOf(app, processed);
      processed.push(await runQuery(app, query, context));
    }
  }
  return outcomeOf(app, processed);
}

/** Pending queries, oldest first, and any left running by a process that died mid-export. */
async function queriesToRun(app: App): Promise<QueryRecord[]> {
  const stale = await app.store.listQueries({ status: 'running', limit: PAGE, offset: 0 });
  const pending = await app.store.listQueries({ status: 'pending', limit: PAGE, offset: 0 });
  return [...stale.items, ...pending.items].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

async function runQuery(app: App, query: QueryRecord, context: JobContext): Promise<QueryRecord> {
  await app.store.saveQuery({ ...query, status: 'running', error: null });
  let finished: QueryRecord;
  try {
    const key = queryObjectKey(query.id);
    const rows = await withTempDir('query', async (dir) => {
      const file = path.join(dir, 'query.csv');
      const count = await app.warehouse.exportFacts('order_lines',
        { fromMs: Date.parse(query.from), toMs: Date.parse(query.to), country: query.country }, file, 'csv');
      await putFile(app.objects, 'exports', key, file);
      return count;
    });
    finished = { ...query, status: 'done', rows, object_key: key, error: null, finished_at: new Date().toISOString() };
  } catch (error) {
    const reason = describeError(error);
    context.logger.error({ query: query.id, reason }, `query ${query.id} failed: ${reason}`);
    finished = { ...query, status: 'failed', rows: null, object_key: null, error: reason, finished_at: new Date().toISOString() };
  }
  await app.store.saveQuery(finished);
  await notifyUser(app, finished, context);
  return finished;
}

async function notifyUser(app: App, query: QueryRecord, context: JobContext): Promise<void> {
  const notification = query.status === 'done'
    ? { job: 'query', level: 'info' as const, message: `Your query has been processed: ${queryDownloadLink(app, query.id)}`, link: queryDownloadLink(app, query.id) }
    : { job: 'query', level: 'error' as const, message: `Your query ${query.id} (${describeQuery(query)}) failed due to ${query.error}` };
  try {
    await app.notifier.notify(notification);
  } catch (error) {
    // The result is recorded and downloadable either way; a lost notice must not fail the query.
    context.logger.error({ query: query.id, err: describeError(error) }, `could not record the notification for query ${query.id}`);
  }
}

function outcomeOf(app: App, processed: QueryRecord[]): JobOutcome {
  const done = processed.filter((query) => query.status === 'done');
  const failed = processed.filter((query) => query.status === 'failed');
  const rows = done.reduce((sum, query) => sum + (query.rows ?? 0), 0);
  const summary = processed.length === 0
    ? 'no pending queries'
    : `${counted(processed.length, 'query', 'queries')}: ${formatNumber(done.length)} done `
      + `(${counted(rows, 'order line', 'order lines')}), ${formatNumber(failed.length)} failed`;
  return {
    summary,
    outputs: {
      queries: processed.map((query) => ({ id: query.id, status: query.status, rows: query.rows, object_key: query.object_key, error: query.error })),
    },
    link: done.length === 1 ? queryDownloadLink(app, done[0].id) : undefined,
    // A trigger that found the queue already emptied by an earlier run is not news.
    quiet: processed.length === 0,
  };
}

function counted(count: number, one: string, many: string): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

function describeQuery(query: QueryRecord): string {
  return `${query.country}, ${query.from} to ${query.to}`;
}

function newQueryId(): string {
  // Time first, so ids sort in the order they were made.
  return `q_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
}

/** The country as the warehouse spells it (case and surrounding spaces do not matter), or a QueryRequestError with close names. */
export function resolveCountry(requested: string, known: string[]): string {
  const wanted = requested.trim();
  const exact = known.find((country) => country === wanted) ?? known.find((country) => country.toLowerCase() === wanted.toLowerCase());
  if (exact) return exact;
  if (known.length === 0) throw new QueryRequestError(`country "${wanted}" is unknown: no order line has a country yet; import orders first`);
  const close = closeNames(wanted, known);
  const hint = close.length > 0
    ? `did you mean ${close.join(', ')}?`
    : `countries with orders include ${known.slice(0, 5).join(', ')}`;
  throw new QueryRequestError(`country "${wanted}" is unknown: ${hint} (${known.length} countries in all; GET /api/kpis/revenue-by-country lists them)`);
}

function closeNames(wanted: string, known: string[], limit = 3): string[] {
  const target = wanted.toLowerCase();
  return known
    .map((country) => {
      const name = country.toLowerCase();
      const contains = name.includes(target) || target.includes(name);
      return { country, distance: contains ? 0 : editDistance(target, name) };
    })
    .filter(({ country, distance }) => distance <= Math.max(2, Math.floor(Math.min(country.length, target.length) / 3)))
    .sort((a, b) => a.distance - b.distance || a.country.localeCompare(b.country))
    .slice(0, limit)
    .map(({ country }) => country);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
