/**
 * The warehouse contract (DESIGN §2): every adapter runs this suite. The facts are small and made
 * by hand; each expected figure below is worked out in the comment beside it.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { LineKind } from '../../src/events/schemas.js';
import { moneyToUnits } from '../../src/events/money.js';
import type { CartAddFact, FactBatch, KpiQuery, KpiRow, OrderFact, ProbeFact, ViewFact, Warehouse } from '../../src/warehouse/port.js';
import { findKpi, kpiCatalog } from '../../src/warehouse/kpis/index.js';

const ms = (iso: string) => Date.parse(iso);
const RANGE = { fromMs: ms('2024-03-01T00:00:00Z'), toMs: ms('2024-03-03T00:00:00Z'), limit: 10 };
const HOSTILE = ["France' OR '1'='1", "'; DROP TABLE order_lines; --", 'x"); DELETE FROM views; --', '$country', '%', '\\'];

type Line = [product_id: string, name: string | null, category: string | null, kind: LineKind, quantity: number, unit_price: string, amount: string];
interface Order { id: string; ts: string; customer: string | null; country: string | null; seller: string | null; cancellation?: boolean; lines: Line[] }

// P1 Mug and P2 Plate are Kitchen, P3 Lamp is Lighting; POST is a fee, ADJ an adjustment.
const ORDERS: Order[] = [
  { id: 'O1', ts: '2024-03-01T10:00:00Z', customer: 'c1', country: 'France', seller: 's1', lines: [
    ['P1', 'Mug', 'Kitchen', 'product', 3, '2.50', '7.50'],
    ['P2', 'Plate', 'Kitchen', 'product', 1, '10.00', '10.00'],
    ['POST', 'Postage', null, 'fee', 1, '5.00', '5.00'],
  ] }, // 22.50
  { id: 'O2', ts: '2024-03-01T15:30:00Z', customer: 'c2', country: 'Germany', seller: null, lines: [
    ['P1', 'Mug', 'Kitchen', 'product', 2, '2.50', '5.00'],
    ['P3', 'Lamp', 'Lighting', 'product', 1, '40.00', '40.00'],
  ] }, // 45.00
  { id: 'C1', ts: '2024-03-02T09:00:00Z', customer: 'c1', country: 'France', seller: 's1', cancellation: true, lines: [
    ['P2', 'Plate (damaged)', 'Kitchen', 'product', -1, '10.00', '-10.00'],
  ] }, // -10.00
  { id: 'O3', ts: '2024-03-02T12:00:00Z', customer: null, country: null, seller: 's2', lines: [
    ['P1', 'Mug', 'Kitchen', 'product', 4, '2.25', '9.00'],
    ['ADJ', 'Bad debt', null, 'adjustment', 1, '-3.00', '-3.00'],
  ] }, // 6.00
  { id: 'O6', ts: '2024-03-02T18:00:00Z', customer: 'c4', country: "Côte d'Ivoire", seller: null, lines: [
    ['P2', 'Plate', 'Kitchen', 'product', 2, '10.25', '20.50'],
  ] }, // 20.50
  { id: 'O4', ts: '2024-03-03T00:00:00Z', customer: 'c3', country: 'France', seller: 's1', lines: [
    ['P3', 'Lamp', 'Lighting', 'product', 1, '40.00', '40.00'],
  ] }, // at `to`: outside [from, to)
];

export function orderFacts(order: Order): OrderFact {
  return {
    event_id: `e-${order.id}`, order_id: order.id, ts: new Date(order.ts).toISOString(), day: order.ts.slice(0, 10),
    customer_id: order.customer, country: order.country, cancellation: order.cancellation ?? false, currency: 'GBP',
    lines: order.lines.map(([product_id, product_name, category, kind, quantity, unit_price, amount], index) => {
      checkAmount(quantity, unit_price, amount);
      return { line_no: index + 1, product: { product_id, product_name, category, kind, seller_id: order.seller }, quantity, unit_price_units: moneyToUnits(unit_price) };
    }),
  };
}

/** The amount a test line states, which must be its quantity × unit price (the warehouse computes it). */
function checkAmount(quantity: number, unitPrice: string, amount: string): void {
  if (moneyToUnits(amount) !== quantity * moneyToUnits(unitPrice)) throw new Error(`test data: ${quantity} × ${unitPrice} is not ${amount}`);
}

function view(n: number, product_id: string, ts: string, category: string, country = 'France', seller_id: string | null = null): ViewFact {
  return { event_id: `v-${n}`, ts: new Date(ts).toISOString(), day: ts.slice(0, 10), product_id, category, seller_id, session_id: `s${n}`, customer_id: null, country, location: null };
}

const VIEWS: ViewFact[] = [
  view(1, 'P1', '2024-03-02T20:00:00Z', 'Kitchen', 'France', 's1'),
  view(2, 'P1', '2024-03-02T21:00:00Z', 'Kitchen', 'France', 's1'),
  view(3, 'P1', '2024-03-02T23:59:00Z', 'Kitchen', 'France', 's1'),
  view(4, 'P2', '2024-03-02T22:00:00Z', 'Kitchen'),
  view(5, 'P3', '2024-03-02T19:00:00Z', 'Lighting'),
  view(6, 'P9', '2024-03-02T23:00:00Z', 'Garden', 'Germany'),
  view(7, 'P2', '2024-03-03T00:00:00Z', 'Kitchen'), // at `to`: outside
];

function cartAdd(n: number, product_id: string, ts: string, category: string, quantity: number): CartAddFact {
  return { event_id: `a-${n}`, ts: new Date(ts).toISOString(), day: ts.slice(0, 10), product_id, category, seller_id: null, session_id: `s${n}`, quantity };
}
const CART_ADDS = [cartAdd(1, 'P1', '2024-03-02T20:30:00Z', 'Kitchen', 1), cartAdd(2, 'P1', '2024-03-02T21:30:00Z', 'Kitchen', 2), cartAdd(3, 'P3', '2024-03-02T19:30:00Z', 'Lighting', 1)];

function probe(n: number, location: string, minute: number, ok: boolean, latency_ms: number): ProbeFact {
  const ts = new Date(ms('2024-03-02T00:00:00Z') + minute * 60_000).toISOString();
  return { event_id: `p-${n}`, ts, day: ts.slice(0, 10), location, target: 'https://shop.example/', ok, status: ok ? 200 : 503, latency_ms };
}
const PROBES = [probe(1, 'eu', 0, true, 100), probe(2, 'eu', 1, true, 200), probe(3, 'eu', 2, true, 300), probe(4, 'eu', 3, false, 400), probe(5, 'us', 0, true, 50), probe(6, 'us', 1, true, 150)];

export function contractFacts(): FactBatch {
  return { orders: ORDERS.map(orderFacts), views: VIEWS, cartAdds: CART_ADDS, probes: PROBES };
}
const EMPTY: FactBatch = { orders: [], views: [], cartAdds: [], probes: [] };
const pick = (rows: KpiRow[], ...names: string[]) => rows.map((row) => names.map((name) => row[name]));

export function describeWarehouseContract(name: string, makeWarehouse: () => Promise<Warehouse>): void {
  describe(`warehouse contract: ${name}`, () => {
    describe('KPIs over hand-made facts', () => {
      let warehouse: Warehouse;
      const kpi = async (kpiName: string, query: Partial<KpiQuery> = {}) => (await warehouse.runKpi(kpiName, { ...RANGE, ...query })).rows;

      beforeAll(async () => {
        warehouse = await makeWarehouse();
        const facts = contractFacts();
        expect(await warehouse.appendFacts(facts)).toEqual({ applied: 6 + 7 + 3 + 6, skipped: 0 });
      });
      afterAll(() => warehouse.close());

      it('totals: net revenue counts every line; AOV divides by orders that are not cancellations', async () => {
        // orders O1 O2 C1 O3 O6; net 22.50 + 45 − 10 + 6 + 20.50 = 84.00; AOV 84 / 4; customers c1 c2 c4;
        // return rate 1 unit on negative lines ÷ 15 on positive lines (3+1+1, 2+1, 4+1, 2); net units 14.
        const [row] = await kpi('totals');
        expect(row).toEqual({ orders: 5, net_revenue: 84, average_order_value: 21, customers: 3, return_rate: expect.closeTo(1 / 15, 10), units: 14 });
      });

      it('most-sold ranks net units of product lines; fees and adjustments never rank', async () => {
        // P1 3+2+4 = 9 (21.50); P2 1−1+2 = 2 (20.50); P3 1 (40.00)
        expect(pick(await kpi('most-sold'), 'product_id', 'product_name', 'units', 'revenue'))
          .toEqual([['P1', 'Mug', 9, 21.5], ['P2', 'Plate', 2, 20.5], ['P3', 'Lamp', 1, 40]]);
        expect(pick(await kpi('most_sold', { limit: 1 }), 'product_id')).toEqual([['P1']]);
      });

      it('most-revenue ranks net revenue of product lines', async () => {
        expect(pick(await kpi('most-revenue'), 'product_id', 'revenue', 'units')).toEqual([['P3', 40, 1], ['P1', 21.5, 9], ['P2', 20.5, 2]]);
      });

      it('most-orders counts distinct orders that are not cancellations', async () => {
        // P1: O1 O2 O3; P2: O1 O6 (C1 is a cancellation); P3: O2
        expect(pick(await kpi('most-orders'), 'product_id', 'orders')).toEqual([['P1', 3], ['P2', 2], ['P3', 1]]);
      });

      it('best-dates sums every line per day', async () => {
        // 03-01: 22.50 + 45 (2 orders); 03-02: −10 + 6 + 20.50 (3 orders)
        expect(pick(await kpi('best-dates'), 'day', 'revenue', 'orders')).toEqual([['2024-03-01', 67.5, 2], ['2024-03-02', 16.5, 3]]);
      });

      it('revenue by country, category and seller label missing values and add up to net revenue', async () => {
        expect(pick(await kpi('revenue-by-country'), 'country', 'revenue', 'orders'))
          .toEqual([['Germany', 45, 1], ["Côte d'Ivoire", 20.5, 1], ['France', 12.5, 2], ['Unknown', 6, 1]]);
        expect(pick(await kpi('revenue-by-category'), 'category', 'revenue', 'units'))
          .toEqual([['Kitchen', 42, 11], ['Lighting', 40, 1], ['Uncategorized', 2, 2]]);
        const sellers = await kpi('revenue-by-seller');
        expect(pick(sellers, 'revenue', 'orders')).toEqual([[65.5, 2], [12.5, 2], [6, 1]]);
        expect(sellers.slice(1).map((row) => row.seller_id)).toEqual(['s1', 's2']);
        expect(['s1', 's2']).not.toContain(sellers[0].seller_id);
      });

      it('product-day-sales has every line kind, ordered by day, country, product', async () => {
        const rows = pick(await kpi('product-day-sales', { limit: 1000 }), 'day', 'country', 'product_id', 'total_quantity', 'total_amount');
        expect(rows).toEqual([
          ['2024-03-01', 'France', 'P1', 3, 7.5], ['2024-03-01', 'France', 'P2', 1, 10], ['2024-03-01', 'France', 'POST', 1, 5],
          ['2024-03-01', 'Germany', 'P1', 2, 5], ['2024-03-01', 'Germany', 'P3', 1, 40],
          ['2024-03-02', "Côte d'Ivoire", 'P2', 2, 20.5], ['2024-03-02', 'France', 'P2', -1, -10],
          ['2024-03-02', 'Unknown', 'ADJ', 1, -3], ['2024-03-02', 'Unknown', 'P1', 4, 9],
        ]);
      });

      it('ranges are half-open [from, to)', async () => {
        const [first] = await kpi('totals', { fromMs: ms('2024-03-01T10:00:00Z'), toMs: ms('2024-03-01T15:30:00Z') });
        expect([first.orders, first.net_revenue]).toEqual([1, 22.5]); // O1 only; O2 is at `to`
        const [last] = await kpi('totals', { fromMs: ms('2024-03-03T00:00:00Z'), toMs: ms('2024-03-03T00:00:00.001Z') });
        expect([last.orders, last.net_revenue]).toEqual([1, 40]); // O4 is at `from`
      });

      it('filters by country and by seller', async () => {
        const [france] = await kpi('totals', { country: 'France' });
        expect(france).toMatchObject({ orders: 2, net_revenue: 12.5, average_order_value: 12.5, customers: 1 });
        const [ivory] = await kpi('totals', { country: "Côte d'Ivoire" });
        expect(ivory).toMatchObject({ orders: 1, net_revenue: 20.5 });
        // s1: O1 and C1. P2 nets to 0 units.
        expect(pick(await kpi('most-sold', { seller: 's1' }), 'product_id', 'units', 'revenue')).toEqual([['P1', 3, 7.5], ['P2', 0, 0]]);
        expect(pick(await kpi('views-last-4h', { seller: 's1' }), 'product_id', 'views')).toEqual([['P1', 3]]);
      });

      it('hostile filter strings are data, not SQL', async () => {
        for (const hostile of HOSTILE) {
          const [row] = await kpi('totals', { country: hostile, seller: hostile });
          expect(row).toEqual({ orders: 0, net_revenue: 0, average_order_value: null, customers: 0, return_rate: null, units: 0 });
          expect(await kpi('most-sold', { country: hostile })).toEqual([]);
        }
        expect((await kpi('totals'))[0].orders).toBe(5);
        expect(await warehouse.countViews('P1', RANGE.fromMs, RANGE.toMs)).toBe(3);
        expect(await warehouse.countViews(HOSTILE[1], RANGE.fromMs, RANGE.toMs)).toBe(0);
      });

      it('views-last-4h counts views in [to − 4h, to) with the latest sold name', async () => {
        expect(pick(await kpi('views-last-4h'), 'product_id', 'product_name', 'views'))
          .toEqual([['P1', 'Mug', 3], ['P2', 'Plate', 1], ['P9', null, 1]]);
      });

      it('conversion funnel per product and per category', async () => {
        expect(pick(await kpi('conversion-funnel'), 'product_id', 'category', 'views', 'cart_adds', 'purchases', 'view_to_cart', 'cart_to_purchase')).toEqual([
          ['P1', 'Kitchen', 3, 2, 3, expect.closeTo(2 / 3, 10), 1.5],
          ['P3', 'Lighting', 1, 1, 1, 1, 1],
          ['P2', 'Kitchen', 1, 0, 2, 0, null],
          ['P9', 'Garden', 1, 0, 0, 0, null],
        ]);
        // Kitchen purchases: O1 O2 O3 O6
        expect(pick(await kpi('conversion-by-category'), 'category', 'views', 'cart_adds', 'purchases', 'view_to_cart', 'cart_to_purchase')).toEqual([
          ['Kitchen', 4, 2, 4, 0.5, 2], ['Lighting', 1, 1, 1, 1, 1], ['Garden', 1, 0, 0, 0, null],
        ]);
      });

      it('stability per location: availability, interpolated percentiles, requests per minute', async () => {
        const rows = await kpi('stability', { fromMs: ms('2024-03-02T00:00:00Z'), toMs: ms('2024-03-02T01:00:00Z') });
        const close = (value: number) => expect.closeTo(value, 6);
        expect(rows).toEqual([
          { location: 'eu', requests: 4, availability: 0.75, p50_ms: close(250), p95_ms: close(385), p99_ms: close(397), requests_per_minute: close(4 / 60) },
          { location: 'us', requests: 2, availability: 1, p50_ms: close(100), p95_ms: close(145), p99_ms: close(149), requests_per_minute: close(2 / 60) },
        ]);
      });

      it('every KPI of the catalog answers with its declared columns', async () => {
        for (const definition of kpiCatalog) {
          const result = await warehouse.runKpi(definition.name, RANGE);
          expect(result.columns.map((column) => column.name)).toEqual(definition.columns.map((column) => column.name));
          for (const row of result.rows) expect(Object.keys(row)).toEqual(definition.columns.map((column) => column.name));
        }
        expect(findKpi('most_sold')?.name).toBe('most-sold');
        await expect(warehouse.runKpi('nope', RANGE)).rejects.toThrow(/no KPI named "nope"/);
      });

      it('countViews, attentionCounts and countries', async () => {
        expect(await warehouse.countViews('P1', ms('2024-03-02T20:00:00Z'), ms('2024-03-02T23:59:00Z'))).toBe(2);
        // 03-02: views P1 3, P2 1, P3 1, P9 1; net product units P1 4 (O3), P2 −1 + 2 (C1, O6)
        expect(await warehouse.attentionCounts(ms('2024-03-02T00:00:00Z'), ms('2024-03-03T00:00:00Z'))).toEqual([
          { product_id: 'P1', views: 3, purchases: 4 }, { product_id: 'P2', views: 1, purchases: 1 },
          { product_id: 'P3', views: 1, purchases: 0 }, { product_id: 'P9', views: 1, purchases: 0 },
        ]);
        expect(await warehouse.countries()).toEqual(["Côte d'Ivoire", 'France', 'Germany']);
      });

      it('exports facts as CSV with a header, filtered by range and country', async () => {
        const directory = await mkdtemp(path.join(os.tmpdir(), 'storepulse-export-'));
        const file = path.join(directory, "France's lines.csv");
        expect(await warehouse.exportFacts('order_lines', { ...RANGE, country: 'France' }, file, 'csv')).toBe(4);
        const [header, ...lines] = (await readFile(file, 'utf8')).trim().split(/\r?\n/);
        expect(header).toBe('day,ts,order_id,line_no,customer_id,country,seller_id,product_id,product_name,category,kind,cancellation,quantity,unit_price,amount,currency,event_id');
        expect(lines.map((line) => line.split(',').slice(0, 4))).toEqual([
          ['2024-03-01', '2024-03-01T10:00:00.000Z', 'O1', '1'], ['2024-03-01', '2024-03-01T10:00:00.000Z', 'O1', '2'],
          ['2024-03-01', '2024-03-01T10:00:00.000Z', 'O1', '3'], ['2024-03-02', '2024-03-02T09:00:00.000Z', 'C1', '1'],
        ]);
        expect(lines.map((line) => Number(line.split(',')[14]))).toEqual([7.5, 10, 5, -10]);
        expect(await warehouse.exportFacts('order_lines', { country: HOSTILE[0] }, path.join(directory, 'none.csv'), 'csv')).toBe(0);
        expect(await warehouse.exportFacts('views', {}, path.join(directory, 'views.parquet'), 'parquet')).toBe(7);
        expect(await warehouse.exportFacts('probes', { fromMs: ms('2024-03-02T00:01:00Z') }, path.join(directory, 'p.csv'), 'csv')).toBe(4);
      });
    });

    describe('appends', () => {
      let warehouse: Warehouse;
      beforeEach(async () => { warehouse = await makeWarehouse(); });
      afterEach(() => warehouse.close());
      const totals = async () => (await warehouse.runKpi('totals', { fromMs: 0, toMs: ms('2100-01-01T00:00:00Z'), limit: 10 })).rows[0];

      it('names a product after its latest sale, ties at one instant broken by event id and line, whatever the order the facts came in', async () => {
        const at = '2024-05-01T10:00:00Z';
        const sale = (id: string, name: string): Order => ({ id, ts: at, customer: null, country: 'France', seller: null, lines: [['P7', name, 'Kitchen', 'product', 1, '1.00', '1.00']] });
        await warehouse.appendFacts({ orders: [orderFacts(sale('T1', 'Teapot')), orderFacts(sale('T2', 'Teapot, blue'))], views: [], cartAdds: [], probes: [] });
        await warehouse.appendFacts({ orders: [orderFacts(sale('T0', 'Teapot (old name)'))], views: [], cartAdds: [], probes: [] });
        const mostSold = await warehouse.runKpi('most-sold', { fromMs: ms(at), toMs: ms('2024-05-02T00:00:00Z'), limit: 10 });
        expect(pick(mostSold.rows, 'product_id', 'product_name', 'units')).toEqual([['P7', 'Teapot, blue', 3]]);
      });

      it('is idempotent by event id, across calls and inside one batch', async () => {
        const facts = contractFacts();
        await warehouse.appendFacts(facts);
        const before = await totals();
        expect(await warehouse.appendFacts(facts)).toEqual({ applied: 0, skipped: 22 });
        const o7 = orderFacts({ id: 'O7', ts: '2024-03-04T08:00:00Z', customer: 'c9', country: 'Spain', seller: null, lines: [['P1', 'Mug', 'Kitchen', 'product', 1, '2.50', '2.50']] });
        const twice = { ...EMPTY, orders: [orderFacts(ORDERS[0]), o7, o7], views: [VIEWS[0], view(99, 'P1', '2024-03-04T08:00:00Z', 'Kitchen'), view(99, 'P1', '2024-03-04T08:00:00Z', 'Kitchen')] };
        expect(await warehouse.appendFacts(twice)).toEqual({ applied: 2, skipped: 2 });
        expect(await totals()).toMatchObject({ orders: (before.orders as number) + 1, net_revenue: (before.net_revenue as number) + 2.5 });
        expect(await warehouse.countViews('P1', 0, ms('2100-01-01T00:00:00Z'))).toBe(4);
      });

      it('with mayBeWritten, skips the ids in it that were written and writes the rest', async () => {
        const facts = contractFacts();
        const allIds = new Set([...facts.orders, ...facts.views, ...facts.cartAdds, ...facts.probes].map((fact) => fact.event_id));
        expect(await warehouse.appendFacts(facts, { mayBeWritten: new Set() })).toEqual({ applied: 22, skipped: 0 });
        const before = await totals();
        expect(await warehouse.appendFacts(facts, { mayBeWritten: allIds })).toEqual({ applied: 0, skipped: 22 });
        const o8 = orderFacts({ id: 'O8', ts: '2024-03-04T09:00:00Z', customer: 'c9', country: 'Spain', seller: null, lines: [['P1', 'Mug', 'Kitchen', 'product', 2, '2.50', '5.00']] });
        expect(await warehouse.appendFacts({ ...EMPTY, orders: [orderFacts(ORDERS[0]), o8] }, { mayBeWritten: new Set(['e-O1']) })).toEqual({ applied: 1, skipped: 1 });
        expect(await totals()).toMatchObject({ orders: (before.orders as number) + 1, net_revenue: (before.net_revenue as number) + 5 });
      });

      it('is safe for concurrent callers', async () => {
        const batches = ORDERS.map((order) => ({ ...EMPTY, orders: [orderFacts(order)] }));
        const results = await Promise.all([...batches, ...batches].map((batch) => warehouse.appendFacts(batch)));
        expect(results.reduce((sum, result) => sum + result.applied, 0)).toBe(ORDERS.length);
        expect(await totals()).toMatchObject({ orders: 6, net_revenue: 124 });
      });

      it('writes nothing of a batch with a bad fact, and takes the next batch', async () => {
        const good = orderFacts(ORDERS[0]);
        const bad = { ...orderFacts(ORDERS[1]), ts: 'yesterday' };
        await expect(warehouse.appendFacts({ ...EMPTY, orders: [good, bad] })).rejects.toThrow(/wrote nothing/);
        expect(await totals()).toMatchObject({ orders: 0 });
        expect(await warehouse.appendFacts({ ...EMPTY, orders: [good] })).toEqual({ applied: 1, skipped: 0 });
        expect(await totals()).toMatchObject({ orders: 1, net_revenue: 22.5 });
      });

      it('keeps amounts exact beyond 32 bits of units, negative ones too, and refuses one that a number cannot hold exactly', async () => {
        const big = orderFacts({ id: 'BIG', ts: '2024-05-01T10:00:00Z', customer: null, country: 'France', seller: null, lines: [
          ['P1', 'Mug', 'Kitchen', 'product', 1_000_000, '12345.6789', '12345678900.0000'],
          ['B', 'Adjust bad debt', null, 'adjustment', 100_000, '-11062.06', '-1106206000.00'],
        ] });
        expect(await warehouse.appendFacts({ ...EMPTY, orders: [big] })).toEqual({ applied: 1, skipped: 0 });
        const invoice = await warehouse.getInvoice('BIG');
        expect(invoice?.lines.map((line) => [line.unit_price, line.amount].map(moneyToUnits))).toEqual([
          [123_456_789, 123_456_789_000_000], [-110_620_600, -11_062_060_000_000],
        ]);
        expect(await totals()).toMatchObject({ net_revenue: 12_345_678_900 - 1_106_206_000 });

        const inexact = orderFacts({ id: 'HUGE', ts: '2024-05-01T10:00:00Z', customer: null, country: 'France', seller: null, lines: [['P1', 'Mug', 'Kitchen', 'product', 1, '1.00', '1.00']] });
        inexact.lines[0] = { ...inexact.lines[0], quantity: 1_000, unit_price_units: 2 ** 52 };
        await expect(warehouse.appendFacts({ ...EMPTY, orders: [inexact] })).rejects.toThrow(/wrote nothing.*HUGE.*not exact/);
        expect(await totals()).toMatchObject({ orders: 1 });
      });

      it('takes an empty batch', async () => {
        expect(await warehouse.appendFacts(EMPTY)).toEqual({ applied: 0, skipped: 0 });
        expect(await totals()).toMatchObject({ orders: 0, net_revenue: 0 });
      });
    });

    describe('invoices', () => {
      let warehouse: Warehouse;
      beforeAll(async () => {
        warehouse = await makeWarehouse();
        await warehouse.appendFacts(contractFacts());
      });
      afterAll(() => warehouse.close());

      it('finds one invoice by number with its lines, exact money and the instant in UTC', async () => {
        expect(await warehouse.getInvoice('O1')).toEqual({
          order_id: 'O1', event_id: 'e-O1', ts: '2024-03-01T10:00:00.000Z', customer_id: 'c1', country: 'France', seller_id: 's1',
          currency: 'GBP', cancellation: false, line_count: 3, total: '22.50',
          lines: [
            { line_no: 1, product_id: 'P1', description: 'Mug', quantity: 3, unit_price: '2.50', kind: 'product', amount: '7.50' },
            { line_no: 2, product_id: 'P2', description: 'Plate', quantity: 1, unit_price: '10.00', kind: 'product', amount: '10.00' },
            { line_no: 3, product_id: 'POST', description: 'Postage', quantity: 1, unit_price: '5.00', kind: 'fee', amount: '5.00' },
          ],
        });
        expect(await warehouse.getInvoice('C1')).toMatchObject({ cancellation: true, total: '-10.00', lines: [{ quantity: -1 }] });
        expect(await warehouse.getInvoice('O3')).toMatchObject({ customer_id: null, total: '6.00' });
        expect(await warehouse.getInvoice('nope')).toBeUndefined();
        for (const hostile of HOSTILE) expect(await warehouse.getInvoice(hostile)).toBeUndefined();
      });

      it("lists a customer's invoices newest first, paged, with the count of all", async () => {
        const page = await warehouse.listInvoices('c1', { limit: 10, offset: 0 });
        expect(page).toMatchObject({ total: 2, limit: 10, offset: 0 });
        expect(page.items.map((item) => [item.order_id, item.line_count, item.total])).toEqual([['C1', 1, '-10.00'], ['O1', 3, '22.50']]);
        expect((await warehouse.listInvoices('c1', { limit: 1, offset: 1 })).items.map((item) => item.order_id)).toEqual(['O1']);
        expect(await warehouse.listInvoices('nobody', { limit: 10, offset: 0 })).toEqual({ items: [], total: 0, limit: 10, offset: 0 });
        expect((await warehouse.listInvoices(HOSTILE[0], { limit: 10, offset: 0 })).total).toBe(0);
      });
    });

    describe('bulk loads', () => {
      let warehouse: Warehouse;
      let reference: Warehouse;
      beforeEach(async () => { [warehouse, reference] = await Promise.all([makeWarehouse(), makeWarehouse()]); });
      afterEach(() => Promise.all([warehouse.close(), reference.close()]));
      const everything = { fromMs: ms('2024-01-01T00:00:00Z'), toMs: ms('2024-06-01T00:00:00Z'), limit: 100 };
      const totals = async () => (await warehouse.runKpi('totals', everything)).rows[0];
      const answers = async (target: Warehouse) => Promise.all(
        ['totals', 'most-sold', 'revenue-by-country', 'conversion-funnel', 'stability'].map(async (kpiName) => (await target.runKpi(kpiName, everything)).rows),
      );
      const batchOf = (orders: Order[], views: ViewFact[] = [], cartAdds: CartAddFact[] = [], probes: ProbeFact[] = []): FactBatch =>
        ({ orders: orders.map(orderFacts), views, cartAdds, probes });

      it('writes what appendFacts writes, each event once, however the batches repeat it', async () => {
        await reference.appendFacts(contractFacts());
        const load = await warehouse.openBulkLoad();
        await load.append(batchOf(ORDERS.slice(0, 3), VIEWS.slice(0, 4), CART_ADDS.slice(0, 1), PROBES.slice(0, 3)));
        await load.append(batchOf(ORDERS.slice(2), VIEWS.slice(3), CART_ADDS, PROBES.slice(2)));
        await load.append(batchOf([ORDERS[0], ORDERS[0]], [VIEWS[0], VIEWS[0]]));
        await load.finish();
        expect(await answers(warehouse)).toEqual(await answers(reference));
        expect(await warehouse.countViews('P1', 0, everything.toMs)).toBe(3);
      });

      it('skips events written before, by appendFacts or an earlier load', async () => {
        await reference.appendFacts(contractFacts());
        await warehouse.appendFacts(batchOf(ORDERS.slice(0, 2), VIEWS.slice(0, 2)));
        const first = await warehouse.openBulkLoad();
        await first.append(batchOf(ORDERS.slice(0, 4), VIEWS.slice(0, 5), CART_ADDS));
        await first.finish();
        const again = await warehouse.openBulkLoad();
        await again.append(contractFacts());
        await again.finish();
        expect(await answers(warehouse)).toEqual(await answers(reference));
        expect(await warehouse.appendFacts(contractFacts())).toEqual({ applied: 0, skipped: 22 });
      });

      it('drops what it staged when aborted', async () => {
        const load = await warehouse.openBulkLoad();
        await load.append(batchOf(ORDERS.slice(0, 1)));
        await load.abort();
        expect(await totals()).toMatchObject({ orders: 0, net_revenue: 0 });
        await expect(load.append(contractFacts())).rejects.toThrow(/after it ended/);
        expect(await warehouse.appendFacts(contractFacts())).toEqual({ applied: 22, skipped: 0 });
      });

      it('stops at a bad fact and writes nothing staged since its last insert', async () => {
        const load = await warehouse.openBulkLoad();
        await load.append(batchOf(ORDERS.slice(0, 1)));
        const bad = { ...orderFacts(ORDERS[1]), ts: 'yesterday' };
        await expect(load.append({ ...EMPTY, orders: [bad] })).rejects.toThrow(/bulk load stopped/);
        await expect(load.finish()).rejects.toThrow(/bulk load stopped/);
        expect(await totals()).toMatchObject({ orders: 0 });
        expect(await warehouse.appendFacts(batchOf(ORDERS.slice(0, 1)))).toEqual({ applied: 1, skipped: 0 });
      });

      it('lets KPI queries and appendFacts run while a load is open', async () => {
        const load = await warehouse.openBulkLoad();
        await load.append(batchOf(ORDERS.slice(0, 2)));
        // O2 is staged by the load and may already be written (an adapter inserts when it likes): either way, once.
        const appended = await warehouse.appendFacts(batchOf(ORDERS.slice(1, 3)));
        expect(appended.applied + appended.skipped).toBe(2);
        expect((await totals()).orders).toBeGreaterThanOrEqual(2);
        await load.finish();
        expect(await totals()).toMatchObject({ orders: 3, net_revenue: 22.5 + 45 - 10 });
      });
    });
  });
}
