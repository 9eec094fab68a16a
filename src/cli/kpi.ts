/** `storepulse kpi NAME`: the same result as GET /api/kpis/NAME, as a table or JSON. */
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import { openApp } from '../app.js';
import { findKpi, kpiCatalog } from '../warehouse/kpis/index.js';
import { KpiRequestError, resolveKpiQuery } from '../warehouse/kpi-request.js';
import type { KpiResult } from '../warehouse/port.js';
import { ApiError, runningServer, type ApiClient } from './api-client.js';
import { exitWithReason } from './usage.js';

interface KpiFlags { from?: string; to?: string; country?: string; seller?: string; limit?: string; json?: boolean }

export function registerKpiCommand(program: Command): void {
  program
    .command('kpi')
    .description(`print a KPI: ${kpiCatalog.map((kpi) => kpi.name).join(', ')}`)
    .argument('<name>', 'KPI name')
    .option('--from <date>', 'start of the range (inclusive), e.g. 2011-11-13')
    .option('--to <date>', 'end of the range (exclusive), e.g. 2011-11-20')
    .option('--country <country>', 'only this country')
    .option('--seller <seller>', 'only this seller')
    .option('--limit <n>', 'rows to return (default 10)')
    .option('--json', 'print JSON, as the API answers')
    .action(async (name: string, flags: KpiFlags) => {
      const config = loadConfig();
      const kpi = findKpi(name);
      if (!kpi) fail(`no KPI named "${name}"; choose one of ${kpiCatalog.map((entry) => entry.name).join(', ')}`);
      let result: KpiResult;
      try {
        result = await fetchKpi(config, kpi.name, flags);
      } catch (error) {
        if (error instanceof KpiRequestError) fail(error.message);
        throw error;
      }
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatTable(result));
    });
}

async function fetchKpi(config: Config, name: string, flags: KpiFlags): Promise<KpiResult> {
  const request = { from: flags.from, to: flags.to, country: flags.country, seller: flags.seller, limit: flags.limit };
  const query = resolveKpiQuery(request, config.timeZone);
  const api = runningServer(config);
  if (api) return fetchFromServer(api, name, request);
  const app = await openApp(config, createLogger());
  try {
    const result = await app.warehouse.runKpi(name, query);
    return { ...result, params: paramsOf(query) } as KpiResult;
  } finally {
    await app.close();
  }
}

/** The embedded warehouse admits one process: while a server runs, ask it. */
async function fetchFromServer(api: ApiClient, name: string, request: Record<string, string | undefined>): Promise<KpiResult> {
  const search = new URLSearchParams(Object.entries(request).filter((entry): entry is [string, string] => entry[1] !== undefined));
  try {
    return await api.request<KpiResult>('GET', `/api/kpis/${name}?${search}`);
  } catch (error) {
    if (error instanceof ApiError) fail(error.reason);
    throw error;
  }
}

function paramsOf(query: { fromMs: number; toMs: number; country?: string; seller?: string; limit: number }) {
  return { from: new Date(query.fromMs).toISOString(), to: new Date(query.toMs).toISOString(), country: query.country ?? null, seller: query.seller ?? null, limit: query.limit };
}

function formatTable(result: KpiResult): string {
  const headers = result.columns.map((column) => column.label);
  const cells = result.rows.map((row) => result.columns.map((column) => formatCell(row[column.name], column.type)));
  const widths = headers.map((header, index) => Math.max(header.length, ...cells.map((row) => row[index].length)));
  const line = (values: string[]) => values.map((value, index) => value.padEnd(widths[index])).join('  ').trimEnd();
  const out = [line(headers), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)];
  if (result.rows.length === 0) out.push('(no rows in this range)');
  return `${out.join('\n')}\n`;
}

function formatCell(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (type === 'money') return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    if (type === 'ratio') return `${(value * 100).toFixed(2)}%`;
    return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
  return String(value);
}

function fail(message: string): never {
  return exitWithReason('kpi', message);
}
