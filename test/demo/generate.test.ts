import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEvent, type OrderEvent, type ProbeEvent, type ProductEvent, type StorepulseEvent } from '../../src/events/schemas.js';
import { generateDemoEvents } from '../../src/demo/generate.js';
import { EMBEDDED_DISKS_CSV } from '../../src/demo/disks-fallback.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DISKS_CSV = path.resolve(REPO_ROOT, '../shared/data/diskover_disks.csv');
const NOW = new Date('2025-06-15T18:37:12Z');
const NOW_HOUR_MS = Date.parse('2025-06-15T18:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let events: StorepulseEvent[];
const ofType = <T extends StorepulseEvent['type']>(type: T) => events.filter((event) => event.type === type) as Extract<StorepulseEvent, { type: T }>[];

beforeAll(() => {
  events = generateDemoEvents({ now: NOW, seed: 7, disksCsv: DISKS_CSV });
});

describe('generateDemoEvents: determinism', () => {
  it('gives identical events for the same seed and the same hour', () => {
    const again = generateDemoEvents({ now: new Date('2025-06-15T18:05:00Z'), seed: 7, disksCsv: DISKS_CSV });
    expect(again).toHaveLength(events.length);
    expect(JSON.stringify(again)).toBe(JSON.stringify(events));
  });

  it('gives other events for another seed', () => {
    const other = generateDemoEvents({ now: NOW, seed: 8, disksCsv: DISKS_CSV });
    const otherIds = new Set(other.map((event) => event.id));
    expect(events.some((event) => otherIds.has(event.id))).toBe(false);
    expect(other.filter((event) => event.type === 'order').length).not.toBe(ofType('order').length);
  });

  it('keeps a day\'s events identical when seeded a day later, so reseeding adds only new hours', () => {
    const later = generateDemoEvents({ now: new Date(NOW.getTime() + DAY), seed: 7, disksCsv: DISKS_CSV });
    const laterById = new Map(later.map((event) => [event.id, event]));
    const dayEvents = events.filter((event) => /^demo:7:\d{4}-\d{2}-\d{2}:/.test(event.id));
    const shared = dayEvents.filter((event) => laterById.has(event.id));
    expect(shared.length).toBeGreaterThan(dayEvents.length * 0.9);
    const changed = shared.filter((event) => JSON.stringify(laterById.get(event.id)) !== JSON.stringify(event));
    expect(changed).toEqual([]);
  });
});

describe('generateDemoEvents: every event is valid', () => {
  it('passes checkEvent unchanged, with unique ids, inside the window', () => {
    const problems = events.flatMap((event, index): unknown[] => {
      const check = checkEvent(event, index);
      if (!check.ok) return [check.problem];
      return JSON.stringify(check.event) === JSON.stringify(event) ? [] : [{ changed: event.id }];
    });
    expect(problems).toEqual([]);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    const first = NOW_HOUR_MS - 28 * DAY - HOUR;
    const outside = events.filter((event) => Date.parse(event.ts) < first || Date.parse(event.ts) >= NOW_HOUR_MS || event.source !== 'demo');
    expect(outside).toEqual([]);
  });

  it('is sorted by time', () => {
    const unordered = events.filter((event, index) => index > 0 && events[index - 1].ts > event.ts);
    expect(unordered).toEqual([]);
  });
});

describe('generateDemoEvents: the shape of the shop', () => {
  it('lists the 15 Diskovery disks with their names, prices, types and details', () => {
    const rows = fs.readFileSync(DISKS_CSV, 'utf8').trim().split(/\r?\n/).slice(1).map((line) => line.split(','));
    expect(rows).toHaveLength(15);
    const products = new Map(ofType('product').map((product) => [product.product_id, product]));
    for (const [id, name, price, type, , , manufacturer] of rows) {
      const product = products.get(id) as ProductEvent;
      expect(product, id).toBeDefined();
      expect(product).toMatchObject({ name, category: type, brand: manufacturer, seller_id: 'diskovery' });
      expect(Number(product.price)).toBe(Number(price));
      expect(product.details).toHaveProperty('storage');
    }
    expect(products.get('D031')?.details).toMatchObject({ storage: 1, storage_unit: 'TB', read_speed: 7200, size: 3.5 });
  });

  it('adds a marketplace: about 60 other products, 4 to 6 sellers, several categories', () => {
    const products = ofType('product');
    expect(products.length - 15).toBeGreaterThanOrEqual(50);
    expect(products.length - 15).toBeLessThanOrEqual(70);
    const sellers = new Set(products.map((product) => product.seller_id));
    expect(sellers.size).toBeGreaterThanOrEqual(4);
    expect(sellers.size).toBeLessThanOrEqual(6);
    expect(new Set(products.map((product) => product.category)).size).toBeGreaterThanOrEqual(6);
    for (const product of products) expect(product.instock).toBeGreaterThan(0);
  });

  it('has believable volumes: 1-3k orders, 30-60k views, carts between the two', () => {
    const orders = ofType('order').length;
    const views = ofType('product_view').length;
    const carts = ofType('cart_add').length;
    expect(orders).toBeGreaterThanOrEqual(1000);
    expect(orders).toBeLessThanOrEqual(3000);
    expect(views).toBeGreaterThanOrEqual(30_000);
    expect(views).toBeLessThanOrEqual(60_000);
    expect(carts).toBeGreaterThan(orders);
    expect(carts).toBeLessThan(views / 4);
  });

  it('has customers across at least 10 countries, the United Kingdom the largest', () => {
    const orders = ofType('order');
    const byCountry = new Map<string, number>();
    for (const order of orders) byCountry.set(order.country!, (byCountry.get(order.country!) ?? 0) + 1);
    expect(byCountry.size).toBeGreaterThanOrEqual(10);
    const largest = [...byCountry].sort((a, b) => b[1] - a[1])[0][0];
    expect(largest).toBe('United Kingdom');
    expect(new Set(orders.map((order) => order.customer_id).filter(Boolean)).size).toBeGreaterThan(150);
  });

  it('has orders of 1 to 5 lines at catalog prices, with postage fees and negative adjustments', () => {
    const prices = new Map(ofType('product').map((product) => [product.product_id, product.price]));
    const orders = ofType('order').filter((order) => !order.cancellation);
    for (const order of orders) {
      expect(order.lines.length).toBeGreaterThanOrEqual(1);
      expect(order.lines.length).toBeLessThanOrEqual(5);
      for (const line of order.lines.filter((item) => item.kind === 'product')) expect(line.unit_price).toBe(prices.get(line.product_id));
    }
    const lines = orders.flatMap((order) => order.lines);
    expect(lines.filter((line) => line.kind === 'fee' && line.product_id === 'POST').length).toBeGreaterThan(100);
    const adjustments = lines.filter((line) => line.kind === 'adjustment');
    expect(adjustments.length).toBeGreaterThan(0);
    for (const line of adjustments) expect(line.unit_price.startsWith('-')).toBe(true);
  });

  it('cancels some orders with negative quantities of an earlier order\'s lines', () => {
    const orders = new Map(ofType('order').map((order) => [order.order_id, order]));
    const cancellations = ofType('order').filter((order) => order.cancellation);
    expect(cancellations.length).toBeGreaterThan(10);
    for (const cancellation of cancellations) {
      const original = orders.get(cancellation.order_id.replace(/^C/, '')) as OrderEvent;
      expect(original, cancellation.order_id).toBeDefined();
      expect(original.ts < cancellation.ts).toBe(true);
      for (const line of cancellation.lines) {
        expect(line.quantity).toBeLessThan(0);
        const bought = original.lines.find((item) => item.product_id === line.product_id && item.kind === 'product');
        expect(bought?.unit_price).toBe(line.unit_price);
        expect(-line.quantity).toBeLessThanOrEqual(bought!.quantity);
      }
    }
  });

  it('restocks products after sales', () => {
    const restocks = ofType('restock');
    expect(restocks.length).toBeGreaterThan(0);
    const firstSale = new Map<string, string>();
    for (const order of ofType('order')) for (const line of order.lines) if (!firstSale.has(line.product_id)) firstSale.set(line.product_id, order.ts);
    for (const restock of restocks) expect(firstSale.get(restock.product_id)! < restock.ts).toBe(true);
  });

  it('probes from at least 3 locations every few minutes, about 1% failing', () => {
    const probes = ofType('probe') as ProbeEvent[];
    const locations = new Set(probes.map((probe) => probe.location));
    expect(locations.size).toBeGreaterThanOrEqual(3);
    expect(probes.length / locations.size).toBeGreaterThan(28 * 24 * 6);
    const failureRate = probes.filter((probe) => !probe.ok).length / probes.length;
    expect(failureRate).toBeGreaterThan(0.003);
    expect(failureRate).toBeLessThan(0.03);
    const median = (location: string) => {
      const latencies = probes.filter((probe) => probe.location === location && probe.ok).map((probe) => probe.latency_ms).sort((a, b) => a - b);
      return latencies[Math.floor(latencies.length / 2)];
    };
    expect(median('Singapore')).toBeGreaterThan(median('London') * 2);
  });

  it('skews views: popular products, evenings and weekends', () => {
    const views = ofType('product_view');
    const perProduct = new Map<string, number>();
    for (const view of views) perProduct.set(view.product_id, (perProduct.get(view.product_id) ?? 0) + 1);
    const counts = [...perProduct.values()].sort((a, b) => b - a);
    expect(counts[0]).toBeGreaterThan(5 * counts[Math.floor(counts.length / 2)]);
    const older = views.filter((view) => Date.parse(view.ts) < NOW_HOUR_MS - 4 * HOUR);
    const hour = (view: StorepulseEvent) => new Date(view.ts).getUTCHours();
    expect(older.filter((view) => hour(view) >= 19 && hour(view) < 22).length).toBeGreaterThan(3 * older.filter((view) => hour(view) >= 2 && hour(view) < 5).length);
    const perDay = new Map<string, number>();
    for (const view of older) perDay.set(view.ts.slice(0, 10), (perDay.get(view.ts.slice(0, 10)) ?? 0) + 1);
    const days = [...perDay].filter(([day]) => day > '2025-05-18' && day < '2025-06-15');
    const average = (weekend: boolean) => {
      const selected = days.filter(([day]) => [0, 6].includes(new Date(day).getUTCDay()) === weekend).map(([, count]) => count);
      return selected.reduce((sum, count) => sum + count, 0) / selected.length;
    };
    expect(average(true)).toBeGreaterThan(average(false) * 1.1);
  });

  it('has a burst of views in the last 4 hours, concentrated on a few products', () => {
    const viewsBetween = (fromMs: number, toMs: number) => ofType('product_view').filter((view) => Date.parse(view.ts) >= fromMs && Date.parse(view.ts) < toMs);
    const recent = viewsBetween(NOW_HOUR_MS - 4 * HOUR, NOW_HOUR_MS);
    expect(recent.length).toBeGreaterThan(2 * viewsBetween(NOW_HOUR_MS - DAY - 4 * HOUR, NOW_HOUR_MS - DAY).length);
    const perProduct = new Map<string, number>();
    for (const view of recent) perProduct.set(view.product_id, (perProduct.get(view.product_id) ?? 0) + 1);
    const top6 = [...perProduct.values()].sort((a, b) => b - a).slice(0, 6).reduce((sum, count) => sum + count, 0);
    expect(top6 / recent.length).toBeGreaterThan(0.4);
  });
});

describe('generateDemoEvents: inputs', () => {
  it('embeds the same disks as the shared CSV, for installs without it', () => {
    expect(EMBEDDED_DISKS_CSV.trim()).toBe(fs.readFileSync(DISKS_CSV, 'utf8').trim());
  });

  it('names the missing disks file and what to do', () => {
    expect(() => generateDemoEvents({ now: NOW, disksCsv: '/nonexistent/disks.csv' })).toThrow(/\/nonexistent\/disks\.csv.*disksCsv/);
  });

  it('rejects an invalid now or weeks', () => {
    expect(() => generateDemoEvents({ now: new Date('nonsense') })).toThrow(/now/);
    expect(() => generateDemoEvents({ now: NOW, weeks: 0 })).toThrow(/weeks/);
  });

  it('covers the requested number of weeks in the requested currency', () => {
    const short = generateDemoEvents({ now: NOW, weeks: 1, seed: 3, currency: 'EUR' });
    const first = Math.min(...short.filter((event) => event.type !== 'product').map((event) => Date.parse(event.ts)));
    expect(first).toBeGreaterThanOrEqual(NOW_HOUR_MS - 7 * DAY);
    expect(first).toBeLessThan(NOW_HOUR_MS - 6 * DAY);
    for (const event of short) if (event.type === 'order' || event.type === 'product') expect(event.currency).toBe('EUR');
  });
});
