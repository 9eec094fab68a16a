/**
 * The spine's acceptance figures (issue 2): the real UCI Online Retail file through
 * `storepulse import`, then `storepulse kpi … --json` over the whole period; a second import
 * changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStorepulse, sharedData } from '../helpers/process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-retail-'));
const env = { STOREPULSE_DATA_DIR: dataDir };
const period = ['--from', '2010-12-01', '--to', '2011-12-10', '--json'];

async function kpi(name: string, ...extra: string[]) {
  const result = await runStorepulse(['kpi', name, ...period, ...extra], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { rows: Record<string, string | number>[] };
}

async function headlineFigures() {
  // One at a time: the embedded warehouse admits one process.
  const totals = await kpi('totals');
  const mostSold = await kpi('most-sold');
  const mostRevenue = await kpi('most-revenue');
  const mostOrders = await kpi('most-orders');
  const bestDates = await kpi('best-dates');
  const countries = await kpi('revenue-by-country');
  return { totals: totals.rows[0], mostSold: mostSold.rows[0], mostRevenue: mostRevenue.rows[0], mostOrders: mostOrders.rows[0], bestDate: bestDates.rows[0], country: countries.rows[0] };
}

beforeAll(async () => {
  const result = await runStorepulse(['import', sharedData('online-retail.csv.gz')], env);
  expect(result.code, result.stderr + result.stdout).toBe(0);
  expect(result.stdout).toMatch(/541,909 rows/);
}, 300_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('online-retail.csv.gz through import and kpi', () => {
  let first: Awaited<ReturnType<typeof headlineFigures>>;

  it('gives the known figures of the dataset', async () => {
    first = await headlineFigures();
    expect(first.totals.orders).toBe(25_900);
    expect(first.totals.net_revenue).toBe(9_747_747.93);
    expect(first.mostSold).toMatchObject({ product_id: '22197', units: 56_450 });
    expect(first.mostRevenue).toMatchObject({ product_id: '22423', revenue: 164_762.19 });
    expect(first.mostOrders).toMatchObject({ product_id: '85123A', orders: 2_204 });
    expect(first.bestDate).toMatchObject({ day: '2011-11-14', revenue: 112_141.11 });
    expect(first.country).toMatchObject({ country: 'United Kingdom', revenue: 8_187_806.36 });
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runStorepulse(['import', sharedData('online-retail.csv.gz')], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already loaded/);
    const forced = await runStorepulse(['import', '--force', sharedData('online-retail.csv.gz')], env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/ 0 new, 25,900 already loaded/);
    expect(await headlineFigures()).toEqual(first);
  });
});
