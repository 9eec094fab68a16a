/**
 * `storepulse query --from D --to D --country C [--out FILE]`: a user query (DESIGN §6) from the
 * shell. With a server running it is submitted to the server's API and followed until done;
 * without one, it is recorded and the query job runs here, through a scheduler, so the run is in
 * job_runs and the notification is sent exactly as for a query made over HTTP.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { openApp } from '../app.js';
import { queryJob, QueryRequestError, submitQuery } from '../jobs/query.js';
import { createScheduler } from '../jobs/scheduler.js';
import { formatNumber } from '../notify/messages.js';
import type { QueryRecord } from '../store/port.js';
import { cliLogger } from './cli-logger.js';
import { ApiError, runningServer, type ApiClient } from './api-client.js';

interface QueryFlags { from: string; to: string; country: string; out?: string; json?: boolean; timeout: string }

type QueryAnswer = QueryRecord & { links?: { self: string; download: string | null } };

const POLL_MS = 250;

export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description('export the order lines of one country in [from, to) to a CSV, as POST /api/queries does')
    .requiredOption('--from <date>', 'start (inclusive): a date like 2011-01-01 in the shop zone, or an ISO-8601 timestamp with a zone')
    .requiredOption('--to <date>', 'end (exclusive), e.g. 2011-02-01')
    .requiredOption('--country <country>', 'the country, as in the orders (e.g. France, EIRE)')
    .option('--out <file>', 'also copy the CSV to this file')
    .option('--timeout <seconds>', 'with a server: how long to wait for the query', '600')
    .option('--json', 'print the query record as JSON')
    .action(async (flags: QueryFlags) => {
      const config = loadConfig();
      const api = runningServer(config);
      try {
        const query = api ? await queryOnServer(api, flags) : await queryHere(config, flags);
        report(query, flags);
      } catch (error) {
        if (error instanceof QueryRequestError || (error instanceof ApiError && error.status === 400)) {
          process.stderr.write(`storepulse query: ${error instanceof ApiError ? error.reason : error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
    });
}

async function queryHere(config: Config, flags: QueryFlags): Promise<QueryAnswer> {
  const app = await openApp(config, cliLogger());
  try {
    const submitted = await submitQuery(app, { from: flags.from, to: flags.to, country: flags.country });
    const scheduler = createScheduler({ jobs: [queryJob(app)], store: app.store, notifier: app.notifier, logger: app.logger, retry: { attempts: 1, baseDelayMs: 0 } });
    await scheduler.runNow('query');
    await scheduler.stop();
    const query = (await app.store.getQuery(submitted.id))!;
    if (query.status === 'done' && query.object_key) {
      const file = app.objects.pathFor('exports', query.object_key);
      if (flags.out) await pipeline(await app.objects.getStream('exports', query.object_key), fs.createWriteStream(flags.out));
      return { ...query, links: { self: file, download: file } };
    }
    return query;
  } finally {
    await app.close();
  }
}

async function queryOnServer(api: ApiClient, flags: QueryFlags): Promise<QueryAnswer> {
  const submitted = await api.request<QueryAnswer>('POST', '/api/queries', { from: flags.from, to: flags.to, country: flags.country });
  const deadline = Date.now() + Number(flags.timeout) * 1000;
  let query = submitted;
  while (query.status === 'pending' || query.status === 'running') {
    if (Date.now() > deadline) {
      throw new Error(`query ${query.id} is still ${query.status} after ${flags.timeout} s; follow it with GET ${api.url}/api/queries/${query.id}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    query = await api.request<QueryAnswer>('GET', `/api/queries/${encodeURIComponent(query.id)}`);
  }
  if (query.status === 'done' && flags.out) {
    const response = await api.fetch(`/api/queries/${encodeURIComponent(query.id)}/download`);
    if (!response.ok || !response.body) throw new Error(`download of query ${query.id} failed: the server answered ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), fs.createWriteStream(flags.out));
  }
  return query;
}

function report(query: QueryAnswer, flags: QueryFlags): void {
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(query, null, 2)}\n`);
  } else if (query.status === 'done') {
    const lines = [
      `Your query has been processed: ${query.links?.download ?? query.object_key}`,
      `${formatNumber(query.rows ?? 0)} order lines of ${query.country} from ${query.from} to ${query.to} (query ${query.id})`,
    ];
    if (flags.out) lines.push(`copied to ${flags.out}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } else {
    process.stderr.write(`storepulse query: query ${query.id} failed due to ${query.error}\n`);
  }
  if (query.status !== 'done') process.exitCode = 1;
}

