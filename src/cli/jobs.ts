/**
 * `storepulse jobs list | run NAME [--at TIMESTAMP] | history`: the scheduler's jobs from the shell.
 * A run goes through a scheduler over the app, so it is recorded in job_runs and notified like a
 * scheduled one. While a server owns the data dir, the commands ask its API instead.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { openApp, type App } from '../app.js';
import { parseBound, TimeError } from '../events/time.js';
import type { Job, JobOutcome } from '../jobs/job.js';
import { createScheduler, SchedulerConfigError, type ScheduledJob } from '../jobs/scheduler.js';
import { failureMessage, successMessage } from '../notify/messages.js';
import type { JobRun, NotificationRecord, Page } from '../store/port.js';
import { cliLogger } from './cli-logger.js';
import { ApiError, runningServer, type ApiClient } from './api-client.js';

/** A mistake in the command line: printed, exit code 2 (after the app is closed). */
class UsageError extends Error {}

interface RunFlags { at?: string; attempts: string; json?: boolean }
interface HistoryFlags { job?: string; limit: string; json?: boolean }

/** The app's jobs, loaded when a command needs them (they bring the report renderer). */
type JobsLoader = () => Promise<(app: App) => Job[]>;

export function registerJobsCommands(program: Command, loadJobs: JobsLoader): void {
  const jobs = program.command('jobs').description('the scheduled jobs: list them, run one now (or for a past moment), see past runs');

  jobs.command('list')
    .description('each job with its schedule, next run and what it does')
    .option('--json', 'print JSON')
    .action(handled(async (flags: { json?: boolean }) => {
      const list = await withServerOrApp(
        async (api) => (await api.request<{ jobs: ScheduledJob[] }>('GET', '/api/jobs')).jobs,
        async (app, config) => {
          const scheduler = schedulerOver(app, config, (await loadJobs())(app));
          const list = scheduler.list();
          await scheduler.stop();
          return list;
        },
      );
      process.stdout.write(flags.json ? `${JSON.stringify(list, null, 2)}\n` : formatJobs(list));
    }));

  jobs.command('run')
    .description('run a job now and wait for it; --at runs it for another moment (a back-fill)')
    .argument('<name>', 'job name, as `storepulse jobs list` shows')
    .option('--at <timestamp>', 'the moment the run is for: a date (start of that day in the shop zone) or an ISO-8601 timestamp with a zone')
    .option('--attempts <n>', 'attempts before giving up, with backoff between them (without a server)', '1')
    .option('--json', 'print the job run as JSON')
    .action(handled((name: string, flags: RunFlags) => runJob(name, flags, loadJobs)));

  jobs.command('history')
    .description('past job runs, newest first')
    .option('--job <name>', 'only this job')
    .option('--limit <n>', 'how many runs', '20')
    .option('--json', 'print JSON')
    .action(handled(async (flags: HistoryFlags) => {
      const limit = wholeNumber('--limit', flags.limit, 1, 500);
      const search = new URLSearchParams({ limit: String(limit), ...(flags.job ? { job: flags.job } : {}) });
      const page = await withServerOrApp(
        (api) => api.request<Page<JobRun>>('GET', `/api/job-runs?${search}`),
        (app) => app.store.listJobRuns({ job: flags.job, limit, offset: 0 }),
      );
      process.stdout.write(flags.json ? `${JSON.stringify(page, null, 2)}\n` : formatHistory(page));
    }));
}

async function runJob(name: string, flags: RunFlags, loadJobs: JobsLoader): Promise<void> {
  const config = loadConfig();
  const at = flags.at === undefined ? undefined : momentOf(flags.at, config.timeZone);
  const attempts = wholeNumber('--attempts', flags.attempts, 1, 10);
  const api = runningServer(config);
  const { run, message } = api ? await runOnServer(api, name, flags.at) : await runHere(config, name, at, attempts, loadJobs);
  if (flags.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  else process.stdout.write(`${message}\n${describeRun(run)}\n`);
  if (run.status !== 'succeeded') process.exitCode = 1;
}

async function runHere(config: Config, name: string, at: Date | undefined, attempts: number, loadJobs: JobsLoader) {
  const app = await openApp(config, cliLogger());
  try {
    let outcome: JobOutcome | undefined;
    // Wrapped to keep the outcome's summary for the message printed at the end.
    const jobs = (await loadJobs())(app).map((job): Job => ({ ...job, run: async (context) => (outcome = await job.run(context)) }));
    if (!jobs.some((job) => job.name === name)) fail(`no job named "${name}"; jobs are ${jobs.map((job) => job.name).join(', ')}`);
    const scheduler = schedulerOver(app, config, jobs, attempts);
    const bar = progressBar(name);
    try {
      const run = await scheduler.runNow(name, at, { progress: bar?.update });
      const message = run.status === 'succeeded' ? successMessage(name, outcome?.summary ?? '') : failureMessage(name, run.error ?? 'unknown reason');
      return { run, message: outcome?.link && run.status === 'succeeded' ? `${message} (${outcome.link})` : message };
    } finally {
      bar?.stop();
      await scheduler.stop();
    }
  } finally {
    await app.close();
  }
}

async function runOnServer(api: ApiClient, name: string, at: string | undefined) {
  const query = at === undefined ? '' : `?${new URLSearchParams({ at })}`;
  let run: JobRun;
  try {
    run = await api.request<JobRun>('POST', `/api/jobs/${encodeURIComponent(name)}/run${query}`);
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) fail(error.reason);
    throw error;
  }
  // The scheduler's notification is the run's outcome in words.
  const notices = await api.request<Page<NotificationRecord>>('GET', '/api/notifications?limit=20');
  const notice = notices.items.find((item) => item.job === name && item.created_at >= run.started_at);
  const message = notice?.message ?? (run.status === 'succeeded' ? successMessage(name, '') : failureMessage(name, run.error ?? 'unknown reason'));
  return { run, message: `${message} (run by the server at ${api.url})` };
}

function schedulerOver(app: App, config: Config, jobs: Job[], attempts = 1) {
  try {
    return createScheduler({
      jobs, store: app.store, notifier: app.notifier, logger: app.logger,
      schedules: config.schedules, timeZone: config.timeZone, retry: { attempts, baseDelayMs: 30_000 },
    });
  } catch (error) {
    if (error instanceof SchedulerConfigError) fail(error.message);
    throw error;
  }
}

/** Runs `onServer` when a server owns the data dir, else opens the app for `here`. */
async function withServerOrApp<T>(onServer: (api: ApiClient) => Promise<T>, here: (app: App, config: Config) => Promise<T> | T): Promise<T> {
  const config = loadConfig();
  const api = runningServer(config);
  if (api) {
    try {
      return await onServer(api);
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) fail(error.reason);
      throw error;
    }
  }
  const app = await openApp(config, cliLogger());
  try {
    return await here(app, config);
  } finally {
    await app.close();
  }
}

function momentOf(text: string, timeZone: string): Date {
  try {
    return new Date(parseBound(text, timeZone));
  } catch (error) {
    if (error instanceof TimeError) fail(`--at ${JSON.stringify(text)}: ${error.message}; use a date like 2011-12-04 or an ISO-8601 timestamp with a zone`);
    throw error;
  }
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) fail(`${flag} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return value;
}

function progressBar(name: string): { update: (done: number, total: number) => void; stop: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar({ format: `${name} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => { if (started) bar.stop(); },
  };
}

function describeRun(run: JobRun): string {
  const seconds = run.ended_at ? ` in ${((Date.parse(run.ended_at) - Date.parse(run.started_at)) / 1000).toFixed(1)} s` : '';
  return `run ${run.id}: ${run.job} ${run.status}${seconds}, for ${run.scheduled_for ?? 'now'}, attempt ${run.attempt}`;
}

function formatJobs(jobs: ScheduledJob[]): string {
  return table(['NAME', 'SCHEDULE', 'NEXT RUN', 'DESCRIPTION'], jobs.map((job) => [
    job.name, job.schedule ?? 'on demand', job.nextRun ? new Date(job.nextRun).toISOString() : '-', job.description,
  ]));
}

function formatHistory(page: Page<JobRun>): string {
  if (page.items.length === 0) return 'no job runs yet\n';
  const rows = page.items.map((run) => [
    String(run.id), run.job, run.status, run.scheduled_for ?? '-', run.started_at,
    run.ended_at ? ((Date.parse(run.ended_at) - Date.parse(run.started_at)) / 1000).toFixed(1) : '-', String(run.attempt),
    shorten(run.error ?? JSON.stringify(run.outputs)),
  ]);
  const more = page.total > page.items.length ? `(${page.items.length} of ${page.total} runs; --limit for more)\n` : '';
  return table(['RUN', 'JOB', 'STATUS', 'FOR', 'STARTED', 'SECONDS', 'ATTEMPT', 'ERROR OR OUTPUTS'], rows) + more;
}

function shorten(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index].length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index])).join('  ').trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

function fail(message: string): never {
  throw new UsageError(message);
}

function handled<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`storepulse jobs: ${error.message}\n`);
      process.exitCode = 2;
    }
  };
}
