/**
 * The whole UCI online-retail dataset through the DuckDB warehouse, checked against figures known
 * for the whole period (2010-12-01 to 2011-12-09, read in UTC).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiQuery, OrderFact, Warehouse } from '../../src/warehouse/port.js';
import { openDuckDbWarehouse } from '../../src/warehouse/duckdb.js';
import { loadOnlineRetailFacts } from './online-retail-facts.js';

const WHOLE_PERIOD: KpiQuery = { fromMs: Date.parse('2010-12-01T00:00:00Z'), toMs: Date.parse('2011-12-10T00:00:00Z'), limit: 10 };

describe('online-retail dataset in the DuckDB warehouse', () => {
  let directory: string;
  let warehouse: Warehouse;
  let facts: OrderFact[];
  const first = async (kpi: string) => (await warehouse.runKpi(kpi, WHOLE_PERIOD)).rows[0];

  beforeAll(async () => {
    facts = await loadOnlineRetailFacts('UTC');
    directory = await mkdtemp(path.join(os.tmpdir(), 'storepulse-retail-'));
    warehouse = await openDuckDbWarehouse({ file: path.join(directory, 'warehouse.duckdb'), timeZone: 'UTC' });
    const started = performance.now();
    const result = await warehouse.appendFacts({ orders: facts, views: [], cartAdds: [], probes: [] });
    // A figure for the report, not an assertion: tests never assert on wall-clock time.
    console.info(`appendFacts: ${facts.length} orders in ${Math.round(performance.now() - started)} ms`);
    expect(result).toEqual({ applied: 25_900, skipped: 0 });
  });
  afterAll(async () => {
    await warehouse?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('has every line', () => {
    expect(facts).toHaveLength(25_900);
    expect(facts.reduce((lines, order) => lines + order.lines.length, 0)).toBe(541_909);
  });

  it('totals: 25,900 orders and 9,747,747.93 net revenue', async () => {
    const started = performance.now();
    const totals = await first('totals');
    console.info(`totals KPI over the whole period: ${Math.round(performance.now() - started)} ms`);
    expect(totals).toMatchObject({ orders: 25_900, net_revenue: 9_747_747.93 });
  });

  it('product rankings, best date and top country', async () => {
    expect(await first('most-sold')).toMatchObject({ product_id: '22197', units: 56_450 });
    expect(await first('most-revenue')).toMatchObject({ product_id: '22423', revenue: 164_762.19 });
    expect(await first('most-orders')).toMatchObject({ product_id: '85123A', orders: 2_204 });
    expect(await first('best-dates')).toEqual({ day: '2011-11-14', revenue: 112_141.11, orders: expect.any(Number) });
    expect(await first('revenue-by-country')).toMatchObject({ country: 'United Kingdom', revenue: 8_187_806.36 });
  });

  it('product-day sales of a country add up to its revenue', async () => {
    const query = { ...WHOLE_PERIOD, country: 'France', limit: 1_000_000 };
    const rows = (await warehouse.runKpi('product-day-sales', query)).rows;
    const cents = rows.reduce((sum, row) => sum + Math.round((row.total_amount as number) * 100), 0);
    const [france] = (await warehouse.runKpi('revenue-by-country', query)).rows;
    expect(cents / 100).toBeCloseTo(france.revenue as number, 2);
  });

  it('appending everything a second time changes nothing', async () => {
    const before = await first('totals');
    const started = performance.now();
    const result = await warehouse.appendFacts({ orders: facts, views: [], cartAdds: [], probes: [] });
    console.info(`appendFacts replay: ${Math.round(performance.now() - started)} ms`);
    expect(result).toEqual({ applied: 0, skipped: 25_900 });
    expect(await first('totals')).toEqual(before);
  });
});
