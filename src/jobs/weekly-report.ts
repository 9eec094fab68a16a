/**
 * weekly-report (DESIGN §6): the shop's sales report of the 7 days ending with the run's day, one
 * report per seller with sales, all archived; the shop report is published to public/ unless a
 * later week is already archived (a back-fill with --at leaves the current public report alone).
 */
import type { App } from '../app.js';
import { formatNumber } from '../notify/messages.js';
import { checkReportPeriod, defaultReportPeriod } from '../reports/build-input.js';
import { generateReports } from '../reports/publish.js';
import type { Job } from './job.js';

export function weeklyReportJob(app: App): Job {
  return {
    name: 'weekly-report',
    description: 'sales report PDF of the last 7 days (shop and each seller) to the archive; the latest also to public/Sales_Report.pdf',
    defaultSchedule: '0 23 * * 0',
    async run(context) {
      const period = defaultReportPeriod(context.at, app.config.timeZone);
      const days = checkReportPeriod(period);
      const result = await generateReports(app, {
        ...period, sellers: true, publish: 'if-latest', generatedAt: context.at, signal: context.signal,
        onSellerDone: (done, total) => context.progress?.(done, total),
      });
      const link = result.published ?? result.shop?.url;
      const sellers = result.sellers.length > 0 ? `, ${counted(result.sellers.length, 'seller report')}` : '';
      return {
        summary: `${counted(days, 'day')}, ${counted(result.orders, 'order')}${sellers}, report at ${link}`,
        outputs: {
          from: period.from,
          to: period.to,
          orders: result.orders,
          net_revenue: result.netRevenue,
          shop_report: result.shop?.key,
          seller_reports: result.sellers.map((entry) => entry.key),
          published: result.published ?? null,
        },
        link,
      };
    },
  };
}

function counted(count: number, noun: string): string {
  return `${formatNumber(count)} ${noun}${count === 1 ? '' : 's'}`;
}
