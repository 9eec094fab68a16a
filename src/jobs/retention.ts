/**
 * The retention job (DESIGN §4, §6): the hot OLTP store keeps the order rows of the last
 * STOREPULSE_HOT_DAYS days (like the Diskovery capped collection); the warehouse and the lake
 * keep everything, so KPIs over older periods still answer.
 */
import type { App } from '../app.js';
import { hotWindowAt } from '../store/hot-window.js';
import { formatNumber } from '../notify/messages.js';
import type { Job, JobContext, JobOutcome } from './job.js';

export function retentionJob(app: App): Job {
  return {
    name: 'retention',
    description: `Prunes orders older than ${app.config.hotDays} days (STOREPULSE_HOT_DAYS) from the hot store; the warehouse and the lake keep them`,
    defaultSchedule: '30 0 * * *',
    async run(context: JobContext): Promise<JobOutcome> {
      const { firstDay: cutOffDay, from: before } = hotWindowAt(context.at, app.config.hotDays, app.config.timeZone);
      const pruned = await app.store.pruneOrdersBefore(before);
      return {
        summary: `pruned ${formatNumber(pruned)} orders dated before ${cutOffDay} from the hot store (keeping ${app.config.hotDays} days); `
          + 'the warehouse and the lake keep them',
        outputs: { pruned_orders: pruned, before, hot_days: app.config.hotDays },
      };
    },
  };
}
