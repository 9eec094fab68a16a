/**
 * The attention job (DESIGN §6): for the 4 hours before `at`, writes attention_counters (views and
 * purchases of every product seen or bought in the window) and the high_attention top 100 by views.
 */
import type { App } from '../app.js';
import { formatNumber } from '../notify/messages.js';
import type { AttentionCounter } from '../store/port.js';
import type { Job, JobContext, JobOutcome } from './job.js';

export const ATTENTION_WINDOW_MS = 4 * 60 * 60 * 1000;
export const HIGH_ATTENTION_SIZE = 100;

export function attentionJob(app: App): Job {
  return {
    name: 'attention',
    description: 'Counts views and purchases per product over the last 4 hours and keeps the top 100 products by views',
    defaultSchedule: '0 */4 * * *',
    async run(context: JobContext): Promise<JobOutcome> {
      const toMs = context.at.getTime();
      const fromMs = toMs - ATTENTION_WINDOW_MS;
      const window = { window_start: new Date(fromMs).toISOString(), window_end: new Date(toMs).toISOString() };
      const counts = await app.warehouse.attentionCounts(fromMs, toMs);
      const counters: AttentionCounter[] = counts.map((count) => ({ ...window, ...count }));
      const top = highAttention(counters);
      await app.store.saveAttention(counters, top);
      const views = counters.reduce((sum, counter) => sum + counter.views, 0);
      const leader = top[0] ? `; most viewed ${top[0].product_id} (${formatNumber(top[0].views)} views)` : '';
      return {
        summary: `${window.window_start} to ${window.window_end}: ${formatNumber(views)} views of ${formatNumber(counters.length)} products, `
          + `top ${formatNumber(top.length)} kept${leader}`,
        outputs: { ...window, products: counters.length, views, top: top.length },
        link: `${app.baseUrl}/api/products/high-attention`,
      };
    },
  };
}

/** The top products by views (ties by product id); a product that was only bought has no attention. */
export function highAttention(counters: AttentionCounter[], size = HIGH_ATTENTION_SIZE): AttentionCounter[] {
  return counters
    .filter((counter) => counter.views > 0)
    .sort((a, b) => b.views - a.views || (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0))
    .slice(0, size);
}
