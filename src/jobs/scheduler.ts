/**
 * The job scheduler (DESIGN §6): runs jobs on their cron schedules (croner, in the shop's time
 * zone), on demand (`runNow`, `storepulse jobs run NAME --at`) and on events (`trigger`, e.g. a file
 * arriving in the inbox). Every attempt is a row in job_runs; a failed run is retried with
 * exponential backoff; success and final failure are notified. A job never runs twice at once:
 * its runs form a queue, and triggers while it runs coalesce into at most one queued re-run.
 */
import { Cron } from 'croner';
import type { Logger } from '../logger.js';
import { failureMessage, successMessage } from '../notify/messages.js';
import type { Notifier } from '../notify/notifier.js';
import { backoffDelayMs, describeError, realSleep, type RetryPolicy, type Sleep } from '../notify/retry.js';
import type { JobRun, Store } from '../store/port.js';
import { scheduleVariable, type Job, type JobContext, type JobOutcome } from './job.js';

export interface SchedulerOptions {
  jobs: Job[];
  store: Pick<Store, 'startJobRun' | 'finishJobRun'>;
  notifier: Pick<Notifier, 'notify'>;
  logger: Logger;
  /** Overrides by job name (from STOREPULSE_SCHEDULE_<JOB>): a cron expression, or "off". */
  schedules?: Record<string, string>;
  /** IANA zone the cron expressions are read in. Default UTC. */
  timeZone?: string;
  /** Default: 3 attempts, waiting 30 s then 60 s. */
  retry?: RetryPolicy;
  /** Injectable so tests do not wait out the backoff. */
  sleep?: Sleep;
}

export interface ScheduledJob {
  name: string;
  description: string;
  /** The cron expression in force, or null when on demand only ("off", or no default). */
  schedule: string | null;
  /** Next cron tick, or null when not scheduled or the scheduler is stopped. */
  nextRun: Date | null;
  running: boolean;
}

export interface RunOptions {
  progress?: JobContext['progress'];
}

export interface Scheduler {
  /** Starts the cron timers. */
  start(): void;
  /** Stops the timers and queued triggers, then waits for running jobs; `abort` also aborts their signal. */
  stop(options?: { abort?: boolean }): Promise<void>;
  /** Runs a job now (after any run of it in progress) for `at` (default: now); resolves with the final attempt's record. */
  runNow(name: string, at?: Date, options?: RunOptions): Promise<JobRun>;
  /** Asks for a run as soon as possible, without waiting: while one is running, at most one more is queued. */
  trigger(name: string): void;
  list(): ScheduledJob[];
  /** Resolves once no job is running or queued. */
  idle(): Promise<void>;
}

export class SchedulerConfigError extends Error {
  override name = 'SchedulerConfigError';
}

export const DEFAULT_JOB_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 30_000 };

interface PendingTrigger {
  /** The newest cron tick folded into this run; undefined: "now" when it starts. */
  at: Date | undefined;
}

interface JobState {
  job: Job;
  schedule: string | null;
  cron: Cron | null;
  running: boolean;
  /** The end of this job's queue of runs: each new run starts after it. */
  tail: Promise<unknown>;
  pending: PendingTrigger | null;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, notifier, logger } = options;
  const timeZone = options.timeZone ?? 'UTC';
  const defaultPolicy = options.retry ?? DEFAULT_JOB_RETRY;
  for (const policy of [defaultPolicy, ...options.jobs.map((job) => job.retry).filter((retry) => retry !== undefined)]) {
    if (!Number.isInteger(policy.attempts) || policy.attempts < 1) throw new SchedulerConfigError(`retry.attempts must be a whole number of at least 1, not ${policy.attempts}`);
  }
  const sleep = options.sleep ?? realSleep;
  const states = buildStates(options.jobs, options.schedules ?? {}, timeZone, (state, tick) => enqueueTrigger(state, tick));
  let stopping = false;
  const stopBackoff = new AbortController();
  const abortJobs = new AbortController();

  function stateOf(name: string): JobState {
    const state = states.get(name);
    if (!state) throw new Error(`no job named "${name}"; jobs are ${[...states.keys()].join(', ')}`);
    return state;
  }

  function enqueue<T>(state: JobState, work: () => Promise<T>): Promise<T> {
    const run = state.tail.then(work);
    state.tail = run.catch(() => undefined);
    return run;
  }

  function enqueueTrigger(state: JobState, tick?: Date): void {
    if (stopping) return;
    if (state.pending) {
      if (tick && (!state.pending.at || tick > state.pending.at)) state.pending.at = tick;
      return;
    }
    const pending: PendingTrigger = { at: tick };
    state.pending = pending;
    enqueue(state, async () => {
      state.pending = null;
      if (stopping) return;
      await execute(state, pending.at ?? new Date(), {});
    }).catch((error: unknown) => logger.error({ job: state.job.name, err: describeError(error) }, `${state.job.name}: triggered run could not be recorded`));
  }

  async function execute(state: JobState, at: Date, runOptions: RunOptions): Promise<JobRun> {
    const { job } = state;
    const policy = job.retry ?? defaultPolicy;
    state.running = true;
    try {
      let reason = '';
      let lastRun: JobRun | undefined;
      for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
        const attemptResult = await runAttempt(job, at, attempt, runOptions);
        if (attemptResult.outcome) {
          if (attemptResult.outcome.quiet) return attemptResult.run;
          await notifySafely({ job: job.name, level: 'info', message: successMessage(job.name, attemptResult.outcome.summary), link: attemptResult.outcome.link });
          return attemptResult.run;
        }
        ({ reason, run: lastRun } = attemptResult);
        if (attempt < policy.attempts && !stopping) {
          const waitMs = backoffDelayMs(policy, attempt);
          logger.warn({ job: job.name, attempt, reason, retryInMs: waitMs }, `${job.name} failed (attempt ${attempt} of ${policy.attempts}): ${reason}; retrying`);
          const interrupted = await sleep(waitMs, stopBackoff.signal).then(() => false, () => true);
          if (interrupted) break;
        } else {
          break;
        }
      }
      await notifySafely({ job: job.name, level: 'error', message: failureMessage(job.name, reason) });
      return lastRun!;
    } finally {
      state.running = false;
    }
  }

  type AttemptResult = { run: JobRun; outcome: JobOutcome; reason?: undefined } | { run: JobRun; outcome?: undefined; reason: string };

  async function runAttempt(job: Job, at: Date, attempt: number, runOptions: RunOptions): Promise<AttemptResult> {
    const started = await store.startJobRun(job.name, at.toISOString(), attempt);
    const jobLogger = logger.child({ job: job.name, run: started.id, attempt });
    let outcome: JobOutcome | undefined;
    let reason: string;
    try {
      outcome = await job.run({ at, signal: abortJobs.signal, logger: jobLogger, progress: runOptions.progress });
      reason = isOutcome(outcome) ? '' : 'the job returned no outcome (summary and outputs)';
    } catch (error) {
      reason = describeError(error);
    }
    if (outcome && !reason) {
      return { run: await store.finishJobRun(started.id, 'succeeded', null, outcome.outputs), outcome };
    }
    jobLogger.error({ reason }, `${job.name} failed: ${reason}`);
    return { run: await store.finishJobRun(started.id, 'failed', reason, {}), reason };
  }

  async function notifySafely(notification: Parameters<Notifier['notify']>[0]): Promise<void> {
    try {
      await notifier.notify(notification);
    } catch (error) {
      // The run is recorded either way; a lost notification must not turn a good run into a failed one.
      logger.error({ job: notification.job, err: describeError(error) }, `could not record the notification "${notification.message}"`);
    }
  }

  return {
    start() {
      if (stopping) throw new Error('the scheduler was stopped; create a new one to start again');
      for (const state of states.values()) state.cron?.resume();
    },
    async stop(stopOptions = {}) {
      stopping = true;
      for (const state of states.values()) state.cron?.stop();
      stopBackoff.abort();
      if (stopOptions.abort) abortJobs.abort(new Error('the scheduler is stopping'));
      await Promise.all([...states.values()].map((state) => state.tail));
    },
    runNow(name, at, runOptions = {}) {
      const state = stateOf(name);
      if (stopping) return Promise.reject(new Error(`cannot run ${name}: the scheduler is stopping`));
      return enqueue(state, () => execute(state, at ?? new Date(), runOptions));
    },
    trigger(name) {
      enqueueTrigger(stateOf(name));
    },
    list() {
      return [...states.values()].map((state) => ({
        name: state.job.name,
        description: state.job.description,
        schedule: state.schedule,
        nextRun: stopping ? null : (state.cron?.nextRun() ?? null),
        running: state.running,
      }));
    },
    async idle() {
      // A run may queue another (a trigger while running), so wait until the queues stop growing.
      for (;;) {
        const tails = [...states.values()].map((state) => state.tail);
        await Promise.all(tails);
        if ([...states.values()].every((state, index) => state.tail === tails[index])) return;
      }
    },
  };
}

function isOutcome(value: unknown): value is JobOutcome {
  return typeof value === 'object' && value !== null && typeof (value as JobOutcome).summary === 'string'
    && typeof (value as JobOutcome).outputs === 'object' && (value as JobOutcome).outputs !== null;
}

function buildStates(
  jobs: Job[],
  overrides: Record<string, string>,
  timeZone: string,
  onTick: (state: JobState, tick: Date) => void,
): Map<string, JobState> {
  const states = new Map<string, JobState>();
  for (const job of jobs) {
    if (states.has(job.name)) throw new SchedulerConfigError(`two jobs are named "${job.name}"; job names must be unique`);
    const schedule = resolveSchedule(job, overrides[job.name], timeZone);
    const state: JobState = { job, schedule, cron: null, running: false, tail: Promise.resolve(), pending: null };
    if (schedule) {
      state.cron = new Cron(schedule, { paused: true, timezone: timeZone, mode: '5-or-6-parts' },
        (self: Cron) => onTick(state, self.currentRun() ?? new Date()));
    }
    states.set(job.name, state);
  }
  const unknown = Object.keys(overrides).filter((name) => !states.has(name));
  if (unknown.length) {
    throw new SchedulerConfigError(`${unknown.map(scheduleVariable).join(', ')} set, but there is no such job; `
      + `schedulable jobs are ${[...states.keys()].join(', ')}. Fix or remove the variable.`);
  }
  return states;
}

/** The schedule in force: the override, else the job's default; null when off or on demand only. */
function resolveSchedule(job: Job, override: string | undefined, timeZone: string): string | null {
  const expression = (override ?? job.defaultSchedule)?.trim() ?? null;
  if (expression === null || expression.toLowerCase() === 'off') return null;
  const problem = cronProblem(expression, timeZone);
  if (!problem) return expression;
  const where = override !== undefined ? `${scheduleVariable(job.name)}="${override}"` : `job ${job.name}: default schedule "${expression}"`;
  throw new SchedulerConfigError(`${where} is not a valid cron expression (${problem}). `
    + 'Use five fields, minute hour day-of-month month day-of-week, like "0 */4 * * *" (every 4 hours) or "0 23 * * 0" (Sundays at 23:00), or "off".');
}

function cronProblem(expression: string, timeZone: string): string | undefined {
  // croner also takes a bare ISO date as a one-off run; a schedule must be a pattern or a @nickname.
  if (!expression.startsWith('@') && !/\s/.test(expression)) return 'expected 5 or 6 fields separated by spaces';
  try {
    new Cron(expression, { paused: true, timezone: timeZone, mode: '5-or-6-parts' }).stop();
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}
