/**
 * The country-split job (DESIGN §6, seed 003): for every country of the order lines, writes
 * exports/by-country/<Country>.csv (its order lines, as the warehouse exports them) and
 * exports/product-day-sales/<Country>.csv (date,product_id,total_quantity,total_amount). The
 * product-day rows are summed exactly from the exported lines, in integer money units, so that a
 * country's rows add up to its net revenue in revenue-by-country to the cent (some prices have
 * three decimals, which rounding each row to cents would lose).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import type { App } from '../app.js';
import { formatMoneyUnits, moneyToUnits } from '../events/money.js';
import { formatNumber } from '../notify/messages.js';
import type { Job, JobContext, JobOutcome } from './job.js';
import { csvField, putFile, withTempDir } from './export-file.js';

export const BY_COUNTRY_PREFIX = 'by-country/';
export const PRODUCT_DAY_SALES_PREFIX = 'product-day-sales/';
const PRODUCT_DAY_SALES_HEADER = 'date,product_id,total_quantity,total_amount';

export interface ProductDaySale {
  date: string;
  product_id: string;
  total_quantity: number;
  /** Integer money units (10^-4), exact. */
  total_amount_units: number;
}

interface CountryFiles {
  country: string;
  order_lines: number;
  product_days: number;
  by_country: string;
  product_day_sales: string;
}

export function countrySplitJob(app: App): Job {
  return {
    name: 'country-split',
    description: 'per country: exports/by-country/<Country>.csv (order lines) and exports/product-day-sales/<Country>.csv',
    defaultSchedule: '0 1 * * *',
    run: (context) => splitByCountry(app, context),
  };
}

async function splitByCountry(app: App, context: JobContext): Promise<JobOutcome> {
  const countries = await app.warehouse.countries();
  const keys = countryKeys(countries);
  // A back-fill (--at) writes the split as it stood at that moment.
  const toMs = context.at.getTime();
  const files = await withTempDir('country-split', async (dir) => {
    const written: CountryFiles[] = [];
    for (const country of countries) {
      if (context.signal.aborted) throw new Error(`stopped after ${written.length} of ${countries.length} countries`);
      written.push(await writeCountry(app, dir, country, keys.get(country)!, toMs));
      context.progress?.(written.length, countries.length);
    }
    return written;
  });
  const orderLines = files.reduce((sum, file) => sum + file.order_lines, 0);
  return {
    summary: `${formatNumber(countries.length)} countries, ${formatNumber(orderLines)} order lines`,
    outputs: { countries: countries.length, order_lines: orderLines, as_of: context.at.toISOString(), files },
  };
}

async function writeCountry(app: App, dir: string, country: string, key: string, toMs: number): Promise<CountryFiles> {
  const linesFile = path.join(dir, 'order-lines.csv');
  const salesFile = path.join(dir, 'product-day-sales.csv');
  const orderLines = await app.warehouse.exportFacts('order_lines', { country, toMs }, linesFile, 'csv');
  const sales = await productDaySalesOf(linesFile);
  await writeFile(salesFile, productDaySalesCsv(sales));
  const files: CountryFiles = {
    country, order_lines: orderLines, product_days: sales.length,
    by_country: `${BY_COUNTRY_PREFIX}${key}.csv`, product_day_sales: `${PRODUCT_DAY_SALES_PREFIX}${key}.csv`,
  };
  await putFile(app.objects, 'exports', files.by_country, linesFile);
  await putFile(app.objects, 'exports', files.product_day_sales, salesFile);
  return files;
}

/** Net quantity and exact amount per day and product, from an order-lines CSV of exportFacts; by date, then product. */
export async function productDaySalesOf(orderLinesCsv: string): Promise<ProductDaySale[]> {
  const sales = new Map<string, ProductDaySale>();
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, skipEmptyLines: true });
  parser.on('data', (row: Record<string, string>) => {
    const key = `${row.day}\u0000${row.product_id}`;
    let sale = sales.get(key);
    if (!sale) {
      sale = { date: row.day, product_id: row.product_id, total_quantity: 0, total_amount_units: 0 };
      sales.set(key, sale);
    }
    sale.total_quantity += Number(row.quantity);
    sale.total_amount_units += moneyToUnits(row.amount);
  });
  await pipeline(fs.createReadStream(orderLinesCsv), parser);
  return [...sales.values()].sort((a, b) => compareText(a.date, b.date) || compareText(a.product_id, b.product_id));
}

export function productDaySalesCsv(sales: ProductDaySale[]): string {
  const lines = sales.map((sale) => [sale.date, csvField(sale.product_id), sale.total_quantity, formatMoneyUnits(sale.total_amount_units)].join(','));
  return `${[PRODUCT_DAY_SALES_HEADER, ...lines].join('\n')}\n`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const UNSAFE_IN_KEY = /[^\p{L}\p{N} ._()&'-]+/gu;
const MAX_NAME_BYTES = 120;

/**
 * A file name for each country, unique within the list: the name itself when it is plain
 * ("United Kingdom", "EIRE", "Côte d'Ivoire"); otherwise its safe characters plus a short hash of
 * the real name, so that "A/B" and "A_B", or "France" and "FRANCE" on a case-insensitive disk,
 * never share a file.
 */
export function countryKeys(countries: string[]): Map<string, string> {
  const candidates = new Map(countries.map((country) => {
    const name = safeName(country);
    return [country, name === country ? name : `${name}_${shortHash(country)}`];
  }));
  const byFolded = new Map<string, number>();
  for (const name of candidates.values()) byFolded.set(name.toLowerCase(), (byFolded.get(name.toLowerCase()) ?? 0) + 1);
  const keys = new Map<string, string>();
  for (const [country, name] of candidates) {
    const clashes = (byFolded.get(name.toLowerCase()) ?? 0) > 1;
    keys.set(country, clashes && name === country ? `${name}_${shortHash(country)}` : name);
  }
  return keys;
}

function safeName(country: string): string {
  let name = country.normalize('NFC').replace(UNSAFE_IN_KEY, '_').replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  while (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) name = name.slice(0, -1);
  return name === '' ? 'country' : name;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}
