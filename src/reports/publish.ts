/**
 * Generates the sales reports of a period and files them (DESIGN §6 weekly-report):
 *   archive/reports/<from>_<to>/Sales_Report.pdf          the shop
 *   archive/reports/<from>_<to>/sellers/<seller>.pdf      each seller with sales
 *   public/Sales_Report.pdf                               the latest shop report, served without a key
 * "Latest" is the report of the most recent period (latest `to`), not the last one generated, so
 * back-filling an old week never replaces the current public report.
 */
import { createHash } from 'node:crypto';
import type { App } from '../app.js';
import { buildSalesReportInput, checkReportPeriod, sellersWithSales, type ReportPeriod } from './build-input.js';
import { renderSalesReport } from './pdf.js';

export const REPORTS_PREFIX = 'reports/';
export const SHOP_REPORT_FILE = 'Sales_Report.pdf';
export const PUBLIC_REPORT_KEY = 'Sales_Report.pdf';
export const PERIOD_FOLDER_PATTERN = /^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$/;
const SELLER_SEGMENT_CHARACTERS = 80;

export interface GeneratedReport { key: string; url: string }

export interface GenerateReportsOptions {
  from: string;
  to: string;
  /** Only this seller's report (no shop report, nothing published). */
  seller?: string;
  /** With the shop report, also one report per seller with sales (default true). */
  sellers?: boolean;
  /** Copy the shop report to public/: always (true), never (false), or when its period is the latest archived ('if-latest'). */
  publish?: boolean | 'if-latest';
  generatedAt?: Date;
  /** Called after each seller's report, for progress bars; checked for abort between sellers. */
  onSellerDone?(done: number, total: number): void;
  signal?: AbortSignal;
}

export interface GeneratedReports {
  shop?: GeneratedReport;
  sellers: { seller: string; key: string; url: string }[];
  /** Of the shop report (or of the seller's, with `seller`). */
  orders: number;
  netRevenue: number;
  /** The public URL when the shop report was published. */
  published?: string;
}

export async function generateReports(app: App, options: GenerateReportsOptions): Promise<GeneratedReports> {
  const period = { from: options.from, to: options.to };
  checkReportPeriod(period);
  const generatedAt = options.generatedAt ?? new Date();
  if (options.seller !== undefined) {
    const { report, orders, netRevenue } = await archiveReport(app, period, generatedAt, options.seller);
    return { sellers: [{ seller: options.seller, ...report }], orders, netRevenue };
  }

  const publishNow = options.publish === 'if-latest' ? await isLatestPeriod(app, period) : options.publish === true;
  const shop = await archiveReport(app, period, generatedAt);
  let published: string | undefined;
  if (publishNow) {
    await app.objects.copy('archive', shop.report.key, 'public', PUBLIC_REPORT_KEY);
    published = publicReportUrl(app);
  }
  const sellers: GeneratedReports['sellers'] = [];
  if (options.sellers ?? true) {
    const names = await sellersWithSales(app, period.from, period.to);
    for (const seller of names) {
      options.signal?.throwIfAborted();
      sellers.push({ seller, ...(await archiveReport(app, period, generatedAt, seller)).report });
      options.onSellerDone?.(sellers.length, names.length);
    }
  }
  return { shop: shop.report, sellers, orders: shop.orders, netRevenue: shop.netRevenue, ...(published ? { published } : {}) };
}

/** Renders one report (the shop's, or a seller's) without filing it: `storepulse report --out`. */
export async function renderReport(app: App, options: { from: string; to: string; seller?: string; generatedAt?: Date }) {
  const input = await buildSalesReportInput(app, options);
  return { pdf: await renderSalesReport(input), orders: input.totals.orders, netRevenue: input.totals.net_revenue };
}

async function archiveReport(app: App, period: ReportPeriod, generatedAt: Date, seller?: string) {
  const { pdf, orders, netRevenue } = await renderReport(app, { ...period, seller, generatedAt });
  const key = seller === undefined ? shopReportKey(period) : sellerReportKey(period, seller);
  await app.objects.put('archive', key, pdf);
  return { report: { key, url: archiveUrl(app, key) }, orders, netRevenue };
}

export function periodFolder(period: ReportPeriod): string {
  return `${period.from}_${period.to}`;
}

export function shopReportKey(period: ReportPeriod): string {
  return `${REPORTS_PREFIX}${periodFolder(period)}/${SHOP_REPORT_FILE}`;
}

export function sellerReportKey(period: ReportPeriod, seller: string): string {
  return `${REPORTS_PREFIX}${periodFolder(period)}/sellers/${sellerFileName(seller)}.pdf`;
}

/**
 * A seller id as one safe key segment: letters, digits, '.', '_', '-' and '@' are kept; anything
 * else (slashes, spaces, dots at the start, control characters) becomes '_', and then a short
 * hash of the real id is appended so that "a/b" and "a_b" never share a file.
 */
export function sellerFileName(seller: string): string {
  const kept = seller.replace(/[^\p{L}\p{N}._@-]/gu, '_').replace(/^\./, '_');
  const cut = [...kept].slice(0, SELLER_SEGMENT_CHARACTERS).join('');
  if (cut === seller && cut.length > 0) return cut;
  return `${cut}~${createHash('sha256').update(seller).digest('hex').slice(0, 8)}`;
}

/** The path under the API of an archived report key (reports/<period>/…). */
export function archivePath(key: string): string {
  const rest = key.slice(REPORTS_PREFIX.length).split('/').map(encodeURIComponent).join('/');
  return `/api/reports/${rest}`;
}

export function archiveUrl(app: Pick<App, 'baseUrl'>, key: string): string {
  return `${app.baseUrl}${archivePath(key)}`;
}

export function publicReportUrl(app: Pick<App, 'baseUrl'>): string {
  return `${app.baseUrl}/public/${PUBLIC_REPORT_KEY}`;
}

/** True when no archived shop report has a later period (by `to`, then `from`) than `period`. */
export async function isLatestPeriod(app: App, period: ReportPeriod): Promise<boolean> {
  const archived = await app.objects.list('archive', REPORTS_PREFIX);
  return archived.every((entry) => {
    const [folder, file] = entry.key.slice(REPORTS_PREFIX.length).split('/');
    const match = PERIOD_FOLDER_PATTERN.exec(folder ?? '');
    if (!match || file !== SHOP_REPORT_FILE) return true;
    return `${match[2]}_${match[1]}` <= `${period.to}_${period.from}`;
  });
}
