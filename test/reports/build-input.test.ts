/**
 * The report input is the KPI catalog's output for the period, the same period before it, and
 * one seller; small hand-made events go through the real pipeline into a real DuckDB warehouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ReportPeriodError, buildSalesReportInput, checkReportPeriod, defaultReportPeriod, previousPeriod, sellersWithSales,
} from '../../src/reports/build-input.js';
import { renderSalesReport } from '../../src/reports/pdf.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { pdfText, withPdfFile } from './pdf-text.js';

const WEEK = { from: '2011-11-14', to: '2011-11-21' };
const END_OF_WEEK = new Date('2011-11-20T23:00:00Z');

function product(id: string, name: string, category: string, seller?: string) {
  return { id: `product:${id}`, type: 'product', ts: '2011-11-01T00:00:00Z', product_id: id, name, price: '1.00', currency: 'GBP', category, seller_id: seller };
}

function order(id: string, ts: string, lines: [string, number, string][], extra: Record<string, unknown> = {}) {
  return {
    id, type: 'order', ts, order_id: id, currency: 'GBP', customer_id: `C-${id}`, country: 'France',
    lines: lines.map(([product_id, quantity, unit_price]) => ({ product_id, quantity, unit_price })),
    ...extra,
  };
}

function view(id: string, ts: string, productId: string) {
  return { id, type: 'product_view', ts, product_id: productId };
}

const EVENTS = [
  product('MUG', 'Blue mug', 'Kitchen', 'anna'),
  product('LAMP', 'Rabbit lamp', 'Lighting', 'bert'),
  product('CARD', 'Greeting card', 'Paper'),
  // The week: anna sells mugs, bert lamps, the shop itself cards; one mug is returned.
  order('W1', '2011-11-14T09:00:00Z', [['MUG', 4, '2.50'], ['CARD', 10, '0.50']]),
  order('W2', '2011-11-16T12:00:00Z', [['LAMP', 2, '20.00']], { country: 'Germany' }),
  order('W3', '2011-11-16T15:00:00Z', [['MUG', 1, '2.50'], ['LAMP', 1, '20.00']], { customer_id: 'C-W1' }),
  order('CW4', '2011-11-18T10:00:00Z', [['MUG', -1, '2.50']], { cancellation: true, customer_id: 'C-W1' }),
  // The week before.
  order('P1', '2011-11-08T10:00:00Z', [['MUG', 2, '2.50']]),
  // Views: two on the lamp and one on the card in the last 4 hours of the week, one earlier on the mug.
  view('V1', '2011-11-20T21:00:00Z', 'LAMP'),
  view('V2', '2011-11-20T22:30:00Z', 'LAMP'),
  view('V3', '2011-11-20T20:15:00Z', 'CARD'),
  view('V4', '2011-11-20T10:00:00Z', 'MUG'),
  view('V5', '2011-11-21T01:00:00Z', 'MUG'),
];

let test: TestApp;

beforeAll(async () => {
  test = await openTestApp({ STOREPULSE_SHOP_NAME: 'Tiny Test Shop' });
  const outcome = await test.app.pipeline.processRaw(EVENTS, 'test');
  expect(outcome.deadLettered).toBe(0);
});

afterAll(async () => {
  await test.close();
});

async function kpiRows(name: string, from: string, to: string, seller?: string, toMs?: number) {
  const query = { fromMs: Date.parse(`${from}T00:00:00Z`), toMs: toMs ?? Date.parse(`${to}T00:00:00Z`), limit: 10, seller };
  return (await test.app.warehouse.runKpi(name, query)).rows;
}

describe('buildSalesReportInput', () => {
  it('holds the KPI rows of the period, with product names, in the report row shapes', async () => {
    const input = await buildSalesReportInput(test.app, { ...WEEK, generatedAt: END_OF_WEEK });
    expect(input).toMatchObject({ shopName: 'Tiny Test Shop', currency: 'GBP', period: WEEK, generatedAt: END_OF_WEEK });
    expect(input.seller).toBeUndefined();
    expect(input.totals).toEqual({
      orders: 4, net_revenue: 75, average_order_value: 25, customers: 2, return_rate: 1 / 18, units: 17,
    });
    expect(input.mostSold).toEqual([
      { product_id: 'CARD', product_name: 'Greeting card', units: 10, revenue: 5 },
      { product_id: 'MUG', product_name: 'Blue mug', units: 4, revenue: 10 },
      { product_id: 'LAMP', product_name: 'Rabbit lamp', units: 3, revenue: 60 },
    ]);
    expect(input.mostRevenue.map((row) => row.product_id)).toEqual(['LAMP', 'MUG', 'CARD']);
    expect(input.mostOrders).toEqual([
      { product_id: 'LAMP', product_name: 'Rabbit lamp', orders: 2 },
      { product_id: 'MUG', product_name: 'Blue mug', orders: 2 },
      { product_id: 'CARD', product_name: 'Greeting card', orders: 1 },
    ]);
    expect(input.bestDates).toEqual([
      { day: '2011-11-16', revenue: 62.5, orders: 2 },
      { day: '2011-11-14', revenue: 15, orders: 1 },
      { day: '2011-11-18', revenue: -2.5, orders: 1 },
    ]);
    expect(input.revenueByCountry).toEqual([{ country: 'Germany', revenue: 40, orders: 1 }, { country: 'France', revenue: 35, orders: 3 }]);
    expect(input.revenueByCategory.map((row) => [row.category, row.revenue])).toEqual([['Lighting', 60], ['Kitchen', 10], ['Paper', 5]]);
  });

  it('equals the KPI catalog for the same range, row for row', async () => {
    const input = await buildSalesReportInput(test.app, { ...WEEK, generatedAt: END_OF_WEEK });
    expect(input.totals).toEqual((await kpiRows('totals', WEEK.from, WEEK.to))[0]);
    expect(input.mostSold).toEqual(await kpiRows('most-sold', WEEK.from, WEEK.to));
    expect(input.mostOrders).toEqual(await kpiRows('most-orders', WEEK.from, WEEK.to));
    expect(input.mostRevenue).toEqual(await kpiRows('most-revenue', WEEK.from, WEEK.to));
    expect(input.bestDates).toEqual(await kpiRows('best-dates', WEEK.from, WEEK.to));
    expect(input.revenueByCountry).toEqual(await kpiRows('revenue-by-country', WEEK.from, WEEK.to));
    expect(input.revenueByCategory).toEqual(await kpiRows('revenue-by-category', WEEK.from, WEEK.to));
  });

  it('compares with the same number of days just before', async () => {
    const input = await buildSalesReportInput(test.app, { ...WEEK, generatedAt: END_OF_WEEK });
    expect(input.previousTotals).toEqual({
      orders: 1, net_revenue: 5, average_order_value: 5, customers: 1, return_rate: null, units: 2,
    });
    expect(previousPeriod(WEEK)).toEqual({ from: '2011-11-07', to: '2011-11-14' });
    expect(previousPeriod({ from: '2011-11-16', to: '2011-11-17' })).toEqual({ from: '2011-11-15', to: '2011-11-16' });
    const twoDays = await buildSalesReportInput(test.app, { from: '2011-11-16', to: '2011-11-18' });
    expect(twoDays.previousTotals.orders).toBe(1); // W1 on the 14th; P1 on the 8th is outside
    expect(twoDays.previousTotals.net_revenue).toBe(15);
  });

  it('takes high attention from the views of the last 4 hours of the period', async () => {
    const input = await buildSalesReportInput(test.app, { ...WEEK, generatedAt: new Date('2011-12-01T00:00:00Z') });
    expect(input.highAttention).toEqual([
      { product_id: 'LAMP', product_name: 'Rabbit lamp', views: 2 },
      { product_id: 'CARD', product_name: 'Greeting card', views: 1 },
    ]);
    // A period not over yet: the 4 hours before the report is generated.
    const midWeek = await buildSalesReportInput(test.app, { ...WEEK, generatedAt: new Date('2011-11-20T12:00:00Z') });
    expect(midWeek.highAttention).toEqual([{ product_id: 'MUG', product_name: 'Blue mug', views: 1 }]);
    expect(midWeek.highAttention).toEqual(await kpiRows('views-last-4h', WEEK.from, WEEK.to, undefined, Date.parse('2011-11-20T12:00:00Z')));
  });

  it('filters every figure to one seller', async () => {
    const input = await buildSalesReportInput(test.app, { ...WEEK, seller: 'anna', generatedAt: END_OF_WEEK });
    expect(input.seller).toBe('anna');
    expect(input.totals).toMatchObject({ orders: 3, net_revenue: 10, customers: 1, units: 4 });
    expect(input.mostSold.map((row) => row.product_id)).toEqual(['MUG']);
    expect(input.revenueByCountry).toEqual([{ country: 'France', revenue: 10, orders: 3 }]);
    expect(input.previousTotals).toMatchObject({ orders: 1, net_revenue: 5 });
    expect(input.highAttention).toEqual([]);
    expect(input.totals).toEqual((await kpiRows('totals', WEEK.from, WEEK.to, 'anna'))[0]);
  });

  it('gives zero totals and empty rankings for a period without sales, and the PDF says so', async () => {
    const input = await buildSalesReportInput(test.app, { from: '2011-12-05', to: '2011-12-12', generatedAt: END_OF_WEEK });
    expect(input.totals).toEqual({ orders: 0, net_revenue: 0, average_order_value: null, customers: 0, return_rate: null, units: 0 });
    expect([input.mostSold, input.mostOrders, input.mostRevenue, input.bestDates, input.revenueByCountry, input.revenueByCategory])
      .toEqual([[], [], [], [], [], []]);
    const text = await withPdfFile(await renderSalesReport(input), pdfText);
    expect(text).toContain('No sales in this period');
    expect(text).toContain('2011-12-05 to 2011-12-11 (7 days)');
  });

  it('refuses malformed or empty periods, naming the bound', async () => {
    await expect(buildSalesReportInput(test.app, { from: '2011-11-20', to: '2011-11-14' })).rejects.toThrow(ReportPeriodError);
    await expect(buildSalesReportInput(test.app, { from: '2011-02-30', to: '2011-03-07' })).rejects.toThrow(/from "2011-02-30"/);
    expect(() => checkReportPeriod({ from: '2011-11-14', to: 'next week' })).toThrow(/to "next week" is not a date/);
    expect(() => checkReportPeriod({ from: '2011-11-14', to: '2011-11-14' })).toThrow(/is empty/);
    expect(checkReportPeriod(WEEK)).toBe(7);
  });
});

describe('sellersWithSales', () => {
  it('lists the sellers of the period by revenue, without the shop itself', async () => {
    expect(await sellersWithSales(test.app, WEEK.from, WEEK.to)).toEqual(['bert', 'anna']);
    expect(await sellersWithSales(test.app, '2011-11-07', '2011-11-14')).toEqual(['anna']);
    expect(await sellersWithSales(test.app, '2011-12-05', '2011-12-12')).toEqual([]);
  });
});

describe('defaultReportPeriod', () => {
  it('is the 7 days ending with the day of the run, in the shop zone', () => {
    expect(defaultReportPeriod(new Date('2011-11-20T23:00:00Z'), 'UTC')).toEqual({ from: '2011-11-14', to: '2011-11-21' });
    expect(defaultReportPeriod(new Date('2011-11-20T00:00:00Z'), 'UTC')).toEqual({ from: '2011-11-14', to: '2011-11-21' });
    // 23:30 UTC on Sunday is already Monday in Berlin; 01:00 UTC on Monday is still Sunday in New York.
    expect(defaultReportPeriod(new Date('2011-11-20T23:30:00Z'), 'Europe/Berlin')).toEqual({ from: '2011-11-15', to: '2011-11-22' });
    expect(defaultReportPeriod(new Date('2011-11-21T01:00:00Z'), 'America/New_York')).toEqual({ from: '2011-11-14', to: '2011-11-21' });
    // Across a month and a year end.
    expect(defaultReportPeriod(new Date('2012-01-02T10:00:00Z'), 'UTC')).toEqual({ from: '2011-12-27', to: '2012-01-03' });
  });
});
