/**
 * What a job is (DESIGN §6): a named piece of work with a default cron schedule, run by the
 * scheduler, which records, retries and notifies; the job itself only does the work.
 */
import type { Logger } from '../logger.js';
import type { RetryPolicy } from '../notify/retry.js';

export interface JobContext {
  /** The moment this run is for: the cron tick, or `--at` for a back-fill; "now" for on-demand runs. */
  at: Date;
  /** Aborted when the scheduler is stopped with { abort: true }; long jobs should check it between steps. */
  signal: AbortSignal;
  logger: Logger;
  /** Progress for a CLI progress bar (runNow from the command line); absent otherwise. */
  progress?(done: number, total: number): void;
}

export interface JobOutcome {
  /** For the notification: "online-retail.csv, 541,909 rows, 25,900 orders". */
  summary: string;
  /** Recorded in job_runs.outputs: counts, object keys written. */
  outputs: Record<string, unknown>;
  /** Where to see the result (a report, an export). */
  link?: string;
  /** Nothing happened worth telling anyone (an empty inbox): the run is recorded but not notified. */
  quiet?: boolean;
}

export interface Job {
  /** Lower-case with dashes ("country-split"); STOREPULSE_SCHEDULE_COUNTRY_SPLIT overrides its schedule. */
  name: string;
  description: string;
  /** A cron expression in the shop's time zone, or null: on demand only. */
  defaultSchedule: string | null;
  run(context: JobContext): Promise<JobOutcome>;
  /** Overrides the scheduler's retry policy (the inbox reports a bad file at once rather than retrying). */
  retry?: RetryPolicy;
}

/** The environment variable that overrides a job's schedule: country-split → STOREPULSE_SCHEDULE_COUNTRY_SPLIT. */
export function scheduleVariable(jobName: string): string {
  return `STOREPULSE_SCHEDULE_${jobName.toUpperCase().replace(/-/g, '_')}`;
}
