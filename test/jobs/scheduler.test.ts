/**
 * The scheduler with small fake jobs. The store and notifier are in-test recorders of the methods
 * the scheduler calls (the SQLite store and the real notifier are tested in their own suites).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Job, JobContext, JobOutcome } from '../../src/jobs/job.js';
import { SchedulerConfigError, createScheduler, type SchedulerOptions } from '../../src/jobs/scheduler.js';
import type { Notification } from '../../src/notify/channel.js';
import { realSleep } from '../../src/notify/retry.js';
import type { JobRun, JobStatus, NotificationRecord, Store } from '../../src/store/port.js';

const silent = pino({ level: 'silent' });

class JobRunRecorder implements Pick<Store, 'startJobRun' | 'finishJobRun'> {
  readonly runs: JobRun[] = [];
  async startJobRun(job: string, scheduledFor: string | null, attempt: number): Promise<JobRun> {
    const run: JobRun = { id: this.runs.length + 1, job, scheduled_for: scheduledFor, started_at: new Date().toISOString(), ended_at: null,
      status: 'running', attempt, error: null, outputs: {} };
    this.runs.push(run);
    return { ...run };
  }
  async finishJobRun(id: number, status: Exclude<JobStatus, 'running'>, error: string | null, outputs: Record<string, unknown>): Promise<JobRun> {
    const run = this.runs.find((candidate) => candidate.id === id);
    if (!run) throw new Error(`no run ${id}`);
    Object.assign(run, { status, error, outputs, ended_at: new Date().toISOString() });
    return { ...run };
  }
}

class NotificationRecorder {
  readonly sent: Notification[] = [];
  async notify(notification: Notification): Promise<NotificationRecord> {
    this.sent.push(notification);
    return { ...notification, link: notification.link ?? null, deliveries: { log: 'sent' }, id: this.sent.length, created_at: new Date().toISOString() };
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => { resolve = settle; });
  return { promise, resolve };
}

function fakeJob(name: string, run: (context: JobContext) => Promise<JobOutcome>, defaultSchedule: string | null = null): Job {
  return { name, description: `the ${name} job`, defaultSchedule, run };
}

const ok = (summary = 'done'): JobOutcome => ({ summary, outputs: { done: true } });

function setup(jobs: Job[], overrides: Partial<SchedulerOptions> = {}) {
  const store = new JobRunRecorder();
  const notifier = new NotificationRecorder();
  const waits: number[] = [];
  const scheduler = createScheduler({
    jobs, store, notifier, logger: silent, retry: { attempts: 3, baseDelayMs: 1000 },
    sleep: async (ms) => { waits.push(ms); },
    ...overrides,
  });
  return { scheduler, store, notifier, waits };
}

/** A job that waits at a gate on each run, and counts how many of its runs overlap. */
function gatedJob(name: string) {
  const counters = { runs: 0, concurrent: 0, maxConcurrent: 0 };
  let started = deferred();
  let gate = deferred();
  const job = fakeJob(name, async () => {
    counters.runs += 1;
    counters.concurrent += 1;
    counters.maxConcurrent = Math.max(counters.maxConcurrent, counters.concurrent);
    started.resolve();
    await gate.promise;
    counters.concurrent -= 1;
    return ok(`run ${counters.runs}`);
  });
  return {
    job, counters,
    started: () => started.promise,
    /** Lets the current run finish; later runs pass straight through. */
    open() { gate.resolve(); },
    /** Makes the next run wait again. */
    close() { gate = deferred(); started = deferred(); },
  };
}

describe('scheduler: runs', () => {
  it('records a successful run and notifies it', async () => {
    let context: JobContext | undefined;
    const job = fakeJob('inbox', async (ctx) => {
      context = ctx;
      return { summary: 'online-retail.csv, 541,909 rows, 25,900 orders', outputs: { rows: 541909 }, link: 'http://shop/runs/1' };
    });
    const { scheduler, store, notifier } = setup([job]);

    const run = await scheduler.runNow('inbox');

    expect(run).toMatchObject({ job: 'inbox', status: 'succeeded', attempt: 1, error: null, outputs: { rows: 541909 } });
    expect(run.ended_at).not.toBeNull();
    expect(store.runs).toHaveLength(1);
    expect(notifier.sent).toEqual([{ job: 'inbox', level: 'info', message: 'inbox ran successfully: online-retail.csv, 541,909 rows, 25,900 orders', link: 'http://shop/runs/1' }]);
    expect(context?.at).toBeInstanceOf(Date);
    expect(context?.signal.aborted).toBe(false);
    expect(typeof context?.logger.info).toBe('function');
  });

  it('retries a failing job with exponential backoff, records every attempt, and notifies the reason once', async () => {
    let calls = 0;
    const job = fakeJob('lake', async () => {
      calls += 1;
      throw new Error(`disk full on attempt ${calls}`);
    });
    const { scheduler, store, notifier, waits } = setup([job]);

    const run = await scheduler.runNow('lake');

    expect(calls).toBe(3);
    expect(waits).toEqual([1000, 2000]);
    expect(store.runs.map((row) => [row.attempt, row.status, row.error])).toEqual([
      [1, 'failed', 'disk full on attempt 1'], [2, 'failed', 'disk full on attempt 2'], [3, 'failed', 'disk full on attempt 3']]);
    expect(run).toMatchObject({ attempt: 3, status: 'failed', error: 'disk full on attempt 3' });
    expect(notifier.sent).toEqual([{ job: 'lake', level: 'error', message: 'lake failed due to disk full on attempt 3' }]);
  });

  it('a transient failure that succeeds on retry is notified as a success only', async () => {
    let calls = 0;
    const job = fakeJob('probe', async () => {
      calls += 1;
      if (calls === 1) throw new Error('storefront timed out');
      return ok('3 locations');
    });
    const { scheduler, store, notifier } = setup([job]);
    const run = await scheduler.runNow('probe');
    expect(store.runs.map((row) => row.status)).toEqual(['failed', 'succeeded']);
    expect(run).toMatchObject({ attempt: 2, status: 'succeeded' });
    expect(notifier.sent.map((note) => note.message)).toEqual(['probe ran successfully: 3 locations']);
  });

  it('treats a job that returns no outcome as failed', async () => {
    const job = fakeJob('broken', async () => undefined as unknown as JobOutcome);
    const { scheduler } = setup([job], { retry: { attempts: 1, baseDelayMs: 0 } });
    expect(await scheduler.runNow('broken')).toMatchObject({ status: 'failed', error: expect.stringContaining('no outcome') });
  });

  it('runNow with `at` runs for that moment and records it', async () => {
    const seen: Date[] = [];
    const job = fakeJob('attention', async ({ at }) => { seen.push(at); return ok(); }, '0 */4 * * *');
    const { scheduler, store } = setup([job]);
    const at = new Date('2011-12-09T12:00:00Z');
    const run = await scheduler.runNow('attention', at);
    expect(seen).toEqual([at]);
    expect(run.scheduled_for).toBe('2011-12-09T12:00:00.000Z');
    expect(store.runs[0].scheduled_for).toBe('2011-12-09T12:00:00.000Z');
  });

  it('passes progress through to the job', async () => {
    const reports: Array<[number, number]> = [];
    const job = fakeJob('inbox', async ({ progress }) => { progress?.(5, 10); progress?.(10, 10); return ok(); });
    const { scheduler } = setup([job]);
    await scheduler.runNow('inbox', undefined, { progress: (done, total) => reports.push([done, total]) });
    expect(reports).toEqual([[5, 10], [10, 10]]);
  });

  it('a notifier that throws does not turn a good run into a failed one', async () => {
    const { scheduler, store } = setup([fakeJob('inbox', async () => ok())],
      { notifier: { notify: async () => { throw new Error('notifications table locked'); } } });
    expect(await scheduler.runNow('inbox')).toMatchObject({ status: 'succeeded' });
    expect(store.runs).toHaveLength(1);
  });

  it('names the jobs when asked for an unknown one', async () => {
    const { scheduler } = setup([fakeJob('inbox', async () => ok())]);
    expect(() => scheduler.runNow('inbx')).toThrow('no job named "inbx"; jobs are inbox');
    expect(() => scheduler.trigger('inbx')).toThrow(/no job named/);
  });
});

describe('scheduler: never twice at once', () => {
  it('triggers while running coalesce into one queued re-run', async () => {
    const gated = gatedJob('inbox');
    const { scheduler, store } = setup([gated.job]);

    scheduler.trigger('inbox');
    await gated.started();
    expect(scheduler.list()[0].running).toBe(true);
    for (let index = 0; index < 5; index += 1) scheduler.trigger('inbox');
    // Give a wrongly parallel run every chance to start before the first one ends.
    await new Promise((resolve) => setImmediate(resolve));
    expect(gated.counters.runs).toBe(1);
    gated.open();
    await scheduler.idle();

    expect(gated.counters.runs).toBe(2);
    expect(gated.counters.maxConcurrent).toBe(1);
    expect(store.runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
    expect(scheduler.list()[0].running).toBe(false);
  });

  it('concurrent runNow calls run one after another, each recorded', async () => {
    const gated = gatedJob('country-split');
    const { scheduler, store } = setup([gated.job]);
    const runs = [scheduler.runNow('country-split'), scheduler.runNow('country-split'), scheduler.runNow('country-split')];
    scheduler.trigger('country-split');
    await gated.started();
    gated.open();
    const finished = await Promise.all(runs);
    await scheduler.idle();
    expect(finished.map((run) => run.id)).toEqual([1, 2, 3]);
    expect(gated.counters.runs).toBe(4);
    expect(gated.counters.maxConcurrent).toBe(1);
    expect(store.runs).toHaveLength(4);
  });

  it('different jobs may run at the same time', async () => {
    const first = gatedJob('lake');
    const second = gatedJob('retention');
    const { scheduler } = setup([first.job, second.job]);
    scheduler.trigger('lake');
    scheduler.trigger('retention');
    await Promise.all([first.started(), second.started()]);
    expect(scheduler.list().map((job) => job.running)).toEqual([true, true]);
    first.open();
    second.open();
    await scheduler.idle();
  });
});

describe('scheduler: schedules', () => {
  it('fires on its cron ticks, for the tick, and never for a job switched off', async () => {
    const ticks: Date[] = [];
    const twoTicks = deferred();
    const ticker = fakeJob('ticker', async ({ at }) => {
      ticks.push(at);
      if (ticks.length === 2) twoTicks.resolve();
      return ok();
    }, '* * * * * *');
    let quietRuns = 0;
    const quiet = fakeJob('quiet', async () => { quietRuns += 1; return ok(); }, '* * * * * *');
    const { scheduler, store } = setup([ticker, quiet], { schedules: { quiet: 'off' } });

    const listed = scheduler.list();
    expect(listed.find((job) => job.name === 'quiet')).toMatchObject({ schedule: null, nextRun: null });
    expect(listed.find((job) => job.name === 'ticker')).toMatchObject({ schedule: '* * * * * *', nextRun: expect.any(Date) });

    scheduler.start();
    await twoTicks.promise;
    await scheduler.stop();

    expect(quietRuns).toBe(0);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const tick of ticks) expect(tick.getUTCMilliseconds()).toBe(0);
    expect(store.runs.every((run) => run.job === 'ticker' && run.scheduled_for?.endsWith('.000Z'))).toBe(true);
    expect(scheduler.list().every((job) => job.nextRun === null)).toBe(true);
  });

  it('a job switched off still runs on demand', async () => {
    const { scheduler } = setup([fakeJob('weekly-report', async () => ok('7 days'), '0 23 * * 0')], { schedules: { 'weekly-report': 'off' } });
    expect(scheduler.list()[0].schedule).toBeNull();
    expect(await scheduler.runNow('weekly-report')).toMatchObject({ status: 'succeeded' });
  });

  it('reads schedules in the shop time zone', () => {
    const { scheduler } = setup([fakeJob('weekly-report', async () => ok(), '0 23 * * 0')], { timeZone: 'Pacific/Auckland' });
    const next = scheduler.list()[0].nextRun!;
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Pacific/Auckland', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    expect(local).toBe('Sun 23:00');
  });

  it('overrides take precedence over the default, nicknames included', () => {
    const { scheduler } = setup([fakeJob('country-split', async () => ok(), '0 1 * * *')], { schedules: { 'country-split': '@hourly' } });
    expect(scheduler.list()[0]).toMatchObject({ schedule: '@hourly', nextRun: expect.any(Date) });
    expect(scheduler.list()[0].nextRun!.getUTCMinutes()).toBe(0);
  });

  it.each([
    ['inbox', 'every minute', /^STOREPULSE_SCHEDULE_INBOX="every minute" is not a valid cron expression/],
    ['country-split', '61 * * * *', /^STOREPULSE_SCHEDULE_COUNTRY_SPLIT="61 \* \* \* \*" is not a valid cron expression \(.*minute/],
    ['inbox', '* * * *', /STOREPULSE_SCHEDULE_INBOX=.*five fields/],
    ['inbox', '2024-01-01T00:00:00', /STOREPULSE_SCHEDULE_INBOX=.*not a valid cron expression/],
  ])('rejects %s schedule %j at creation, naming the variable', (job, expression, message) => {
    const jobs = [fakeJob('inbox', async () => ok(), '* * * * *'), fakeJob('country-split', async () => ok(), '0 1 * * *')];
    expect(() => setup(jobs, { schedules: { [job]: expression } })).toThrow(SchedulerConfigError);
    expect(() => setup(jobs, { schedules: { [job]: expression } })).toThrow(message);
  });

  it('rejects an override for a job that does not exist', () => {
    expect(() => setup([fakeJob('inbox', async () => ok())], { schedules: { 'country-spilt': '0 1 * * *' } }))
      .toThrow(/STOREPULSE_SCHEDULE_COUNTRY_SPILT set, but there is no such job; schedulable jobs are inbox/);
  });

  it('rejects an invalid default schedule and duplicate job names', () => {
    expect(() => setup([fakeJob('inbox', async () => ok(), 'daily')])).toThrow(/job inbox: default schedule "daily"/);
    expect(() => setup([fakeJob('inbox', async () => ok()), fakeJob('inbox', async () => ok())])).toThrow(/two jobs are named "inbox"/);
  });
});

describe('scheduler: stop', () => {
  it('waits for the running job, drops a queued trigger, and refuses new runs', async () => {
    const gated = gatedJob('inbox');
    const { scheduler, store } = setup([gated.job]);
    scheduler.trigger('inbox');
    await gated.started();
    scheduler.trigger('inbox');

    let stopped = false;
    const stopping = scheduler.stop().then(() => { stopped = true; });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    gated.open();
    await stopping;

    expect(gated.counters.runs).toBe(1);
    expect(store.runs.map((run) => run.status)).toEqual(['succeeded']);
    await expect(scheduler.runNow('inbox')).rejects.toThrow(/stopping/);
    scheduler.trigger('inbox');
    await scheduler.idle();
    expect(gated.counters.runs).toBe(1);
  });

  it('stop cuts a retry backoff short and records the failure', async () => {
    const inBackoff = deferred();
    const job = fakeJob('lake', async () => { throw new Error('archive unreachable'); });
    const { scheduler, store, notifier } = setup([job], {
      retry: { attempts: 5, baseDelayMs: 3_600_000 },
      sleep: (ms, signal) => { inBackoff.resolve(); return realSleep(ms, signal); },
    });
    const run = scheduler.runNow('lake');
    await inBackoff.promise;
    await scheduler.stop();
    expect(await run).toMatchObject({ status: 'failed', attempt: 1 });
    expect(store.runs).toHaveLength(1);
    expect(notifier.sent.map((note) => note.message)).toEqual(['lake failed due to archive unreachable']);
  });

  it('stop with abort aborts the running job', async () => {
    const started = deferred();
    const job = fakeJob('query', ({ signal }) => new Promise<JobOutcome>((_resolve, reject) => {
      started.resolve();
      signal.addEventListener('abort', () => reject(new Error('cancelled at shutdown')));
    }));
    const { scheduler, store } = setup([job]);
    const run = scheduler.runNow('query');
    await started.promise;
    await scheduler.stop({ abort: true });
    expect(await run).toMatchObject({ status: 'failed', error: 'cancelled at shutdown' });
    expect(store.runs).toHaveLength(1);
  });
});

describe('per-job policy', () => {
  it('records a quiet run without notifying it', async () => {
    const { scheduler, store, notifier } = setup([fakeJob('inbox', async () => ({ summary: 'the inbox is empty', outputs: {}, quiet: true }))]);
    const run = await scheduler.runNow('inbox');
    expect(run.status).toBe('succeeded');
    expect(store.runs).toHaveLength(1);
    expect(notifier.sent).toEqual([]);
  });

  it("uses a job's own retry policy over the scheduler's", async () => {
    let attempts = 0;
    const once: Job = { ...fakeJob('once', async () => { attempts += 1; throw new Error('bad file'); }), retry: { attempts: 1, baseDelayMs: 0 } };
    const { scheduler, notifier, waits } = setup([once]);
    const run = await scheduler.runNow('once');
    expect(run).toMatchObject({ status: 'failed', attempt: 1, error: 'bad file' });
    expect(attempts).toBe(1);
    expect(waits).toEqual([]);
    expect(notifier.sent.map((sent) => sent.message)).toEqual(['once failed due to bad file']);
  });

  it('refuses a job whose retry policy has no attempt', () => {
    const none: Job = { ...fakeJob('none', async () => ok()), retry: { attempts: 0, baseDelayMs: 0 } };
    expect(() => setup([none])).toThrow(SchedulerConfigError);
  });
});
