import { describe, expect, it } from 'vitest';
import { checkEvent, type StorepulseEvent } from '../../src/events/schemas.js';
import { LineFacts, dedupeById, parseEvents, routeToFacts, validateRules } from '../../src/consumer/steps.js';
import type { ProductSummary } from '../../src/store/port.js';

function valid(raw: unknown): StorepulseEvent {
  const check = checkEvent(raw, 0);
  if (!check.ok) throw new Error(JSON.stringify(check.problem));
  return check.event;
}

const order = (overrides: Record<string, unknown> = {}) => valid({
  id: 'o-1', type: 'order', ts: '2011-11-14T23:30:00Z', order_id: '536365', customer_id: '17850', country: 'United Kingdom',
  currency: 'GBP', lines: [
    { product_id: '85123A', description: 'WHITE HANGING HEART', quantity: 6, unit_price: '2.55' },
    { product_id: 'POST', quantity: 1, unit_price: '18.00', kind: 'fee' },
  ],
  ...overrides,
});

const context = { currency: 'GBP', nowMs: Date.parse('2011-12-01T00:00:00Z'), origin: 'test' };

describe('parse step', () => {
  it('keeps valid events and dead-letters invalid ones with the field and reason', () => {
    const result = parseEvents([{ type: 'restock', ts: '2011-01-01T00:00:00Z', product_id: 'A', quantity: 0 }, order()], 'log');
    expect(result.events.map((event) => event.id)).toEqual(['o-1']);
    expect(result.deadLetters).toHaveLength(1);
    expect(result.deadLetters[0].reason).toBe('quantity: must be positive');
  });
});

describe('validate step', () => {
  it('dead-letters a foreign currency, a far-future timestamp and a cancellation with positive quantities', () => {
    const events = [
      order({ id: 'usd', currency: 'USD' }),
      order({ id: 'future', ts: '2012-06-01T00:00:00Z' }),
      order({ id: 'bad-cancel', cancellation: true }),
      order({ id: 'good-cancel', cancellation: true, lines: [{ product_id: 'A', quantity: -1, unit_price: '1.00' }] }),
    ];
    const result = validateRules(events, context);
    expect(result.events.map((event) => event.id)).toEqual(['good-cancel']);
    const reasons = Object.fromEntries(result.deadLetters.map((letter) => [letter.event_id, letter.reason]));
    expect(reasons.usd).toMatch(/currency USD differs from the shop currency GBP/);
    expect(reasons.future).toMatch(/in the future/);
    expect(reasons['bad-cancel']).toMatch(/lines\.0\.quantity: a cancellation must have negative quantities/);
  });
});

describe('dedupe step', () => {
  it('keeps the first event of each id', () => {
    const first = order();
    const second = order({ order_id: 'other' });
    const result = dedupeById([first, second, order({ id: 'o-2' })]);
    expect(result.events.map((event) => event.type === 'order' && event.order_id)).toEqual(['536365', '536365']);
    expect(result.duplicates).toBe(1);
  });
});

describe('route step', () => {
  const catalog = new Map<string, ProductSummary>([
    ['85123A', { product_id: '85123A', name: 'White hanging heart', kind: 'product', category: 'Home', brand: null, seller_id: 'acme', price: '2.55', currency: 'GBP' }],
  ]);

  it('turns an order into line facts with exact signed amounts, catalog dimensions and the local day', () => {
    const facts = routeToFacts([order()], catalog, 'Europe/Berlin');
    expect(facts.orders).toHaveLength(1);
    // 23:30 UTC is already the next day in Berlin.
    expect(facts.orders[0]).toMatchObject({ event_id: 'o-1', day: '2011-11-15' });
    expect(facts.orders[0].lines).toHaveLength(2);
    const [heart, postage] = facts.orders[0].lines;
    expect(heart).toMatchObject({ line_no: 1, quantity: 6, unit_price_units: 25_500 });
    expect(heart.product).toEqual({ product_id: '85123A', category: 'Home', seller_id: 'acme', product_name: 'White hanging heart', kind: 'product' });
    expect(postage).toMatchObject({ quantity: 1, unit_price_units: 180_000 });
    expect(postage.product).toEqual({ product_id: 'POST', kind: 'fee', product_name: null, category: null, seller_id: null });
  });

  it('keeps amounts exact where floats would drift', () => {
    const facts = routeToFacts([order({ cancellation: true, lines: [{ product_id: 'X', quantity: -3, unit_price: '0.1' }] })], catalog, 'UTC');
    expect(facts.orders[0].lines[0]).toMatchObject({ quantity: -3, unit_price_units: 1000 });
  });

  it('gives the lines of one batch with the same product, kind and seller one product fact, and others their own', () => {
    const lines = [
      { product_id: '85123A', description: 'first text', quantity: 1, unit_price: '2.55' },
      { product_id: 'POST', description: 'Postage', quantity: 1, unit_price: '18.00', kind: 'fee' },
      { product_id: 'POST', description: 'Postage, again', quantity: 1, unit_price: '18.00', kind: 'fee' },
    ];
    const facts = routeToFacts([
      order({ id: 'a', lines }),
      order({ id: 'b', lines: [{ product_id: '85123A', description: 'other text', quantity: 2, unit_price: '2.55' }] }),
      order({ id: 'c', seller_id: 'market', lines: [{ product_id: '85123A', quantity: 1, unit_price: '2.55' }] }),
      order({ id: 'd', lines: [{ product_id: '85123A', quantity: -1, unit_price: '2.55', kind: 'adjustment' }] }),
    ], catalog, 'UTC');
    const [a, b, c, d] = facts.orders.map((fact) => fact.lines.map((line) => line.product));
    expect(b[0]).toBe(a[0]); // the catalog's name, whatever the line's text
    expect(a[0]).toMatchObject({ product_name: 'White hanging heart', seller_id: 'acme' });
    expect(a[2]).not.toBe(a[1]); // not in the catalog: named by each line's text
    expect([a[1].product_name, a[2].product_name]).toEqual(['Postage', 'Postage, again']);
    expect(c[0]).not.toBe(a[0]);
    expect(c[0]).toMatchObject({ product_id: '85123A', seller_id: 'market' });
    expect(d[0]).toMatchObject({ product_id: '85123A', kind: 'adjustment' });
    expect(d[0]).not.toBe(a[0]);
  });

  it('shares product facts across batches routed with the same LineFacts, until the catalog entry changes', () => {
    const lines = new LineFacts();
    const sale = (id: string) => order({ id, lines: [{ product_id: '85123A', quantity: 1, unit_price: '2.55' }] });
    const productOf = (facts: ReturnType<typeof routeToFacts>) => facts.orders[0].lines[0].product;
    const first = productOf(routeToFacts([sale('a')], catalog, 'UTC', lines));
    expect(productOf(routeToFacts([sale('b')], new Map(catalog), 'UTC', lines))).toBe(first);
    const renamed = new Map([['85123A', { ...catalog.get('85123A')!, name: 'Heart, renamed' }]]);
    const after = productOf(routeToFacts([sale('c')], renamed, 'UTC', lines));
    expect(after).not.toBe(first);
    expect(after.product_name).toBe('Heart, renamed');
    expect(productOf(routeToFacts([sale('d')], catalog, 'UTC'))).not.toBe(first); // a LineFacts of its own
  });

  it('routes views, cart adds and probes, and nothing for catalog events', () => {
    const facts = routeToFacts([
      valid({ type: 'product_view', id: 'v', ts: '2011-01-01T10:00:00Z', product_id: '85123A', location: 'London' }),
      valid({ type: 'cart_add', id: 'c', ts: '2011-01-01T10:00:00Z', product_id: '85123A', quantity: 2 }),
      valid({ type: 'probe', id: 'p', ts: '2011-01-01T10:00:00Z', location: 'London', target: 'https://shop', ok: false, latency_ms: 120 }),
      valid({ type: 'restock', id: 'r', ts: '2011-01-01T10:00:00Z', product_id: '85123A', quantity: 5 }),
    ], catalog, 'UTC');
    expect(facts.views).toEqual([expect.objectContaining({ event_id: 'v', category: 'Home', location: 'London', day: '2011-01-01' })]);
    expect(facts.cartAdds).toEqual([expect.objectContaining({ event_id: 'c', quantity: 2, seller_id: 'acme' })]);
    expect(facts.probes).toEqual([expect.objectContaining({ event_id: 'p', ok: false, latency_ms: 120, status: null })]);
    expect(facts.orders).toEqual([]);
  });
});
