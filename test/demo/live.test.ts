import { describe, expect, it } from 'vitest';
import { checkEvent, type OrderEvent, type StorepulseEvent } from '../../src/events/schemas.js';
import { buildDemoCatalog } from '../../src/demo/catalog.js';
import { LiveTraffic } from '../../src/demo/live.js';

const START = Date.parse('2025-06-15T12:00:00Z');

function liveEvents(runId: string, count: number, spacingMs: number): StorepulseEvent[] {
  const traffic = new LiveTraffic(buildDemoCatalog({ seed: 1, currency: 'GBP' }), runId);
  const raw = traffic.take(count, (index) => START + index * spacingMs);
  return raw.map((event, index) => {
    const check = checkEvent(event, index);
    if (!check.ok) throw new Error(`event ${index} invalid: ${check.problem.field} ${check.problem.reason}`);
    return check.event;
  });
}

describe('LiveTraffic', () => {
  const events = liveEvents('unit', 20_000, 20);

  it('makes valid events with unique simulator ids, stamped with their send time', () => {
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    const misfits = events.filter((event, index) => !/^sim:unit:\d+$/.test(event.id) || Date.parse(event.ts) !== START + index * 20);
    expect(misfits).toEqual([]);
  });

  it('cancels only orders already sent, later', () => {
    const sentOrders = new Map<string, OrderEvent>();
    let cancellations = 0;
    for (const event of events) {
      if (event.type !== 'order') continue;
      if (!event.cancellation) sentOrders.set(event.order_id, event);
      else {
        cancellations += 1;
        const original = sentOrders.get(event.order_id.slice(1));
        expect(original, event.order_id).toBeDefined();
        for (const line of event.lines) expect(line.quantity).toBeLessThan(0);
      }
    }
    expect(cancellations).toBeGreaterThan(0);
  });

  it('restocks products that sold, and probes from every location', () => {
    const sold = new Set(events.flatMap((event) => (event.type === 'order' ? event.lines.map((line) => line.product_id) : [])));
    const restocks = events.filter((event) => event.type === 'restock');
    expect(restocks.length).toBeGreaterThan(0);
    for (const restock of restocks) expect(sold).toContain(restock.product_id);
    const locations = new Set(events.flatMap((event) => (event.type === 'probe' ? [event.location] : [])));
    expect(locations.size).toBe(4);
  });

  it('never lets probes crowd out the shop at a very low rate', () => {
    const slow = liveEvents('slow', 200, 60_000);
    expect(slow.filter((event) => event.type === 'probe').length).toBeLessThanOrEqual(100);
    expect(slow.filter((event) => event.type === 'product_view').length).toBeGreaterThan(50);
  });

  it('draws different traffic for different runs', () => {
    const other = liveEvents('other', 200, 20);
    const mine = events.slice(0, 200).map((event) => event.type === 'product_view' && event.product_id);
    expect(other.map((event) => event.type === 'product_view' && event.product_id)).not.toEqual(mine);
  });
});
