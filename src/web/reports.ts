/**
 * The report archive under /api (read key) and the public bucket under /public (no key).
 *   GET  /api/reports                                   periods, newest first, with links
 *   GET  /api/reports/:period/Sales_Report.pdf          an archived shop report
 *   GET  /api/reports/:period/sellers/:seller.pdf       an archived seller report
 *   POST /api/reports {from, to, seller?, sellers?}     generate now
 *   GET  /public/*                                      a file of the public bucket
 * Files are served by key through the objects port, whose key check refuses "..", absolute paths
 * and control characters, so no request reaches outside its bucket.
 */
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App } from '../app.js';
import { ObjectKeyError, ObjectNotFoundError, checkObjectKey, type Bucket, type ObjectEntry } from '../objects/port.js';
import { ReportPeriodError } from '../reports/build-input.js';
import {
  PERIOD_FOLDER_PATTERN, PUBLIC_REPORT_KEY, REPORTS_PREFIX, SHOP_REPORT_FILE, archiveUrl, generateReports, publicReportUrl,
} from '../reports/publish.js';

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.parquet': 'application/vnd.apache.parquet',
};

const GenerateRequest = z.object({
  from: z.string({ message: 'from is required, a date like 2011-11-13' }),
  to: z.string({ message: 'to is required, a date like 2011-11-20 (the first day not included)' }),
  seller: z.string().min(1).max(128).optional(),
  sellers: z.boolean().optional(),
}).strict();

interface ArchivedPeriod {
  period: string;
  from: string;
  to: string;
  shop: { url: string; size: number; modified: string } | null;
  sellers: { file: string; url: string; size: number; modified: string }[];
}

export async function reportRoutes(server: FastifyInstance, options: { app: App }): Promise<void> {
  const { app } = options;

  server.get('/api/reports', async () => {
    const entries = await app.objects.list('archive', REPORTS_PREFIX);
    const latest = await app.objects.head('public', PUBLIC_REPORT_KEY);
    return {
      latest: latest ? { url: publicReportUrl(app), size: latest.size, modified: latest.modified.toISOString() } : null,
      periods: groupByPeriod(app, entries),
    };
  });

  server.get<{ Params: { period: string } }>('/api/reports/:period/Sales_Report.pdf', async (request, reply) => {
    const { period } = request.params;
    if (!PERIOD_FOLDER_PATTERN.test(period)) return notFound(reply, `no report period "${period}"; GET /api/reports lists them`);
    return sendObject(app, reply, 'archive', `${REPORTS_PREFIX}${period}/${SHOP_REPORT_FILE}`);
  });

  server.get<{ Params: { period: string; file: string } }>('/api/reports/:period/sellers/:file', async (request, reply) => {
    const { period, file } = request.params;
    if (!PERIOD_FOLDER_PATTERN.test(period) || !file.endsWith('.pdf')) {
      return notFound(reply, `no seller report ${period}/sellers/${file}; GET /api/reports lists them`);
    }
    return sendObject(app, reply, 'archive', `${REPORTS_PREFIX}${period}/sellers/${file}`);
  });

  server.post('/api/reports', async (request, reply) => {
    const parsed = GenerateRequest.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply.code(400).send({ error: 'bad_request', message: `${issue.path.join('.') || 'body'}: ${issue.message}` });
    }
    const { from, to, seller, sellers } = parsed.data;
    try {
      const result = await generateReports(app, { from, to, seller, sellers, publish: 'if-latest' });
      return reply.code(201).send({
        period: `${from}_${to}`, shop: result.shop ?? null, sellers: result.sellers,
        orders: result.orders, net_revenue: result.netRevenue, published: result.published ?? null,
      });
    } catch (error) {
      if (error instanceof ReportPeriodError) return reply.code(400).send({ error: 'bad_request', message: error.message });
      throw error;
    }
  });
}

export async function publicRoutes(server: FastifyInstance, options: { app: App }): Promise<void> {
  server.get<{ Params: { '*': string } }>('/public/*', async (request, reply) => sendObject(options.app, reply, 'public', request.params['*']));
}

async function sendObject(app: App, reply: FastifyReply, bucket: Bucket, key: string) {
  try {
    checkObjectKey(key);
    const stream = await app.objects.getStream(bucket, key);
    const name = path.posix.basename(key);
    return reply
      .header('content-type', CONTENT_TYPES[path.posix.extname(key).toLowerCase()] ?? 'application/octet-stream')
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('x-content-type-options', 'nosniff')
      .send(stream);
  } catch (error) {
    if (error instanceof ObjectKeyError) return reply.code(400).send({ error: 'bad_request', message: error.message });
    if (error instanceof ObjectNotFoundError) return notFound(reply, `${bucket === 'public' ? 'public/' : ''}${key} does not exist`);
    throw error;
  }
}

function notFound(reply: FastifyReply, message: string) {
  return reply.code(404).send({ error: 'not_found', message });
}

function groupByPeriod(app: App, entries: ObjectEntry[]): ArchivedPeriod[] {
  const periods = new Map<string, ArchivedPeriod>();
  for (const entry of entries) {
    const [folder, ...rest] = entry.key.slice(REPORTS_PREFIX.length).split('/');
    const match = PERIOD_FOLDER_PATTERN.exec(folder);
    if (!match) continue;
    let period = periods.get(folder);
    if (!period) {
      period = { period: folder, from: match[1], to: match[2], shop: null, sellers: [] };
      periods.set(folder, period);
    }
    const file = { url: archiveUrl(app, entry.key), size: entry.size, modified: entry.modified.toISOString() };
    if (rest.length === 1 && rest[0] === SHOP_REPORT_FILE) period.shop = file;
    else if (rest.length === 2 && rest[0] === 'sellers' && rest[1].endsWith('.pdf')) period.sellers.push({ file: rest[1], ...file });
  }
  return [...periods.values()].sort((a, b) => (b.to + b.from).localeCompare(a.to + a.from));
}
