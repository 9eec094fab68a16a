/**
 * The retention job (DESIGN §4, §6): the hot OLTP store keeps the order rows of the last
 * STOREPULSE_HOT_DAYS days (like the Diskovery capped collection); the warehouse and the lake
 * keep everything, so KPIs over older periods still answer.
 */
import type { App } from '../app.js';
import { localDate, startOfLocalDay } from '../events/time.js';
import { formatNumber } from '../notify/messages.js';
import type { Job, JobContext, JobOutcome } from './job.js';

export function retentionJob(app: App): Job {
  return {
    name: 'retention',
    description: `Prunes orders older than ${app.config.hotDays} days (STOREPULSE_HOT_DAYS) from the hot store; the warehouse and the lake keep them`,
    defaultSchedule: '30 0 * * *',
    async run(context: JobContext): Promise<JobOutcome> {
      const cutOffDay = retentionCutOffDay(context.at, app.config.hotDays, app.config.timeZone);
      const before = new Date(startOfLocalDay(cutOffDay, app.config.timeZone)).toISOString();
      const pruned = await app.store.pruneOrdersBefore(before);
      return {
        summary: `pruned ${formatNumber(pruned)} orders dated before ${cutOffDay} from the hot store (keeping ${app.config.hotDays} days); `
          + 'the warehouse and the lake keep them',
        outputs: { pruned_orders: pruned, before, hot_days: app.config.hotDays },
      };
    },
  };
}

/**
 * The first shop day kept: `hotDays` whole days before the day of `at` (whose own orders are kept
 * too). Run at 00:30 on 2011-12-10 with 7 days, orders from 2011-12-03 on stay.
 */
export function retentionCutOffDay(at: Date, hotDays: number, timeZone: string): string {
  return shiftDate(localDate(at.getTime(), timeZone), -hotDays);
}

/** A calendar date (YYYY-MM-DD) moved by whole days. */
export function shiftDate(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
