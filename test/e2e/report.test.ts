/**
 * Issue 4's acceptance: the real online-retail file through `storepulse import`, then
 * `storepulse report` for the week of 2011-11-13: the PDF's text holds the period, the week's
 * totals exactly as `storepulse kpi totals` gives them, and each chart's top rows largest first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_TITLES } from '../../src/reports/charts.js';
import { formatCount, formatMoney, formatRate } from '../../src/reports/format.js';
import { runStorepulse, sharedData } from '../helpers/process.js';
import { pdfLines, pdfText, sectionLines, type PdfLine } from '../reports/pdf-text.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-report-e2e-'));
const env = { STOREPULSE_DATA_DIR: dataDir, STOREPULSE_SHOP_NAME: 'Online Retail Ltd' };
const WEEK = ['--from', '2011-11-13', '--to', '2011-11-20'];
const pdfFile = path.join(dataDir, 'week.pdf');
const HEADINGS = Object.values(CHART_TITLES);

type Row = Record<string, string | number | null>;

async function cli(args: string[]) {
  const result = await runStorepulse(args, env);
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

async function kpi(name: string): Promise<Row[]> {
  return (JSON.parse(await cli(['kpi', name, ...WEEK, '--json'])) as { rows: Row[] }).rows;
}

/** The lines of a chart section that show `key` as a whole (a product id ends its bar label). */
function firstTopShowing(lines: PdfLine[], key: string): number | undefined {
  return lines.find((line) => line.text === key || line.text.endsWith(` ${key}`) || line.text.startsWith(`${key} `))?.top;
}

/** The cells of the headline table's row labelled `label`, left to right. */
function headlineRow(label: string): string[] {
  const start = lines.find((line) => line.page === 1 && line.text === label);
  if (!start) return [];
  return lines.filter((line) => line.page === 1 && Math.abs(line.top - start.top) < 2)
    .sort((a, b) => a.left - b.left).map((line) => line.text);
}

let text: string;
let lines: PdfLine[];

beforeAll(async () => {
  const imported = await runStorepulse(['import', sharedData('online-retail.csv.gz')], env);
  expect(imported.code, imported.stderr + imported.stdout).toBe(0);
  const written = await cli(['report', ...WEEK, '--out', pdfFile]);
  expect(written).toMatch(/^wrote .*week\.pdf: 2011-11-13 to 2011-11-19 \(7 days\), /);
  text = await pdfText(pdfFile);
  lines = await pdfLines(pdfFile);
}, 300_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('storepulse report on the online-retail week of 2011-11-13', () => {
  it('names the shop and the period', () => {
    expect(text).toContain('Online Retail Ltd sales report');
    expect(text).toContain('2011-11-13 to 2011-11-19 (7 days)');
  });

  it('prints the totals of `storepulse kpi totals` for the same week', async () => {
    const [totals] = await kpi('totals');
    expect(totals.orders).toBeGreaterThan(0);
    const row = (label: string) => ` ${headlineRow(label).join(' ')} `;
    expect(row('Orders')).toContain(` ${formatCount(Number(totals.orders))} `);
    expect(row('Net revenue')).toContain(` ${formatMoney(Number(totals.net_revenue), 'GBP')} `);
    expect(row('Average order value')).toContain(` ${formatMoney(Number(totals.average_order_value), 'GBP')} `);
    expect(row('Customers')).toContain(` ${formatCount(Number(totals.customers))} `);
    expect(row('Return rate')).toContain(` ${formatRate(Number(totals.return_rate))} `);
    expect(row('Units sold')).toContain(` ${formatCount(Number(totals.units))} `);
  });

  it.each([
    [CHART_TITLES.mostSold, 'most-sold', 'product_id', 'units'],
    [CHART_TITLES.mostOrders, 'most-orders', 'product_id', 'orders'],
    [CHART_TITLES.mostRevenue, 'most-revenue', 'product_id', 'revenue'],
    [CHART_TITLES.bestDates, 'best-dates', 'day', 'revenue'],
    [CHART_TITLES.revenueByCountry, 'revenue-by-country', 'country', 'revenue'],
  ])('draws "%s" as the KPI %s gives it, largest first', async (heading, kpiName, keyField, valueField) => {
    const rows = await kpi(kpiName);
    expect(rows.length).toBeGreaterThan(3);
    const values = rows.map((row) => Number(row[valueField]));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const section = sectionLines(lines, heading, HEADINGS);
    const tops = rows.map((row) => firstTopShowing(section, String(row[keyField])));
    expect(tops.every((top) => top !== undefined), `every row of "${heading}" is labelled`).toBe(true);
    expect(tops).toEqual([...tops].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(new Set(tops).size).toBe(tops.length);
  });

  it('shows product names, not only ids', async () => {
    const [top] = await kpi('most-sold');
    expect(top.product_name).toBeTruthy();
    expect(text).toContain(`${String(top.product_name).trim()} · ${top.product_id}`);
  });

  it('archives and publishes when run without --out, and prints where', async () => {
    const out = await cli(['report', ...WEEK]);
    const archived = path.join(dataDir, 'buckets/archive/reports/2011-11-13_2011-11-20/Sales_Report.pdf');
    expect(out).toContain(archived);
    expect(out).toContain('/public/Sales_Report.pdf');
    expect(fs.readFileSync(archived).subarray(0, 5).toString()).toBe('%PDF-');
    expect(fs.readFileSync(path.join(dataDir, 'buckets/public/Sales_Report.pdf')).equals(fs.readFileSync(archived))).toBe(true);
  });

  it('refuses bad dates with a clear message', async () => {
    const result = await runStorepulse(['report', '--from', '2011-11-20', '--to', '2011-11-13'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/report period 2011-11-20 to 2011-11-13 is empty/);
    const half = await runStorepulse(['report', '--from', '2011-11-20'], env);
    expect(half.stderr).toMatch(/give both --from and --to/);
  });
});
