import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkEvent } from '../../src/events/schemas.js';
import { formatMoneyUnits, moneyToUnits, normalizeMoney } from '../../src/events/money.js';
import { localDate, parseLocalTimestamp, parseZonedTimestamp } from '../../src/events/time.js';

const orderWith = (overrides: Record<string, unknown>) => ({
  type: 'order', ts: '2011-11-14T08:26:00Z', order_id: '1', currency: 'GBP',
  lines: [{ product_id: 'A', quantity: 1, unit_price: '2.55' }], ...overrides,
});

describe('event contracts', () => {
  it('assigns an id when absent and keeps a client id', () => {
    const generated = checkEvent(orderWith({}), 0);
    const given = checkEvent(orderWith({ id: 'client-key-1' }), 0);
    expect(generated.ok && generated.event.id).toMatch(/^ev_/);
    expect(given.ok && given.event.id).toBe('client-key-1');
  });

  it('output is valid input and validates to itself (the log stores it, the consumer re-checks it)', () => {
    const first = checkEvent(orderWith({ ts: 1321259160000, lines: [{ product_id: 'A', quantity: 2, unit_price: 2.5 }] }), 0);
    if (!first.ok) throw new Error('expected valid');
    const second = checkEvent(JSON.parse(JSON.stringify(first.event)), 0);
    expect(second).toEqual(first);
  });

  it.each([
    [{ lines: [{ product_id: 'A', quantity: 1.5, unit_price: '1' }] }, 'lines.0.quantity', /integer/],
    [{ lines: [{ product_id: 'A', quantity: 0, unit_price: '1' }] }, 'lines.0.quantity', /zero/],
    [{ lines: [{ product_id: 'A', quantity: 1, unit_price: 'NaN' }] }, 'lines.0.unit_price', /decimal amount/],
    [{ lines: [{ product_id: 'A', quantity: 1, unit_price: 'Infinity' }] }, 'lines.0.unit_price', /decimal amount/],
    [{ lines: [{ product_id: 'A', quantity: 1, unit_price: '-5' }] }, 'lines.0.unit_price', /adjustment/],
    [{ lines: [{ product_id: 'A', quantity: 1, unit_price: '1.23456' }] }, 'lines.0.unit_price', /at most 4 decimals/],
    [{ lines: [] }, 'lines', /at least one line/],
    [{ ts: '2011-11-14 08:26' }, 'ts', /with a zone/],
    [{ currency: 'pounds' }, 'currency', /ISO-4217/],
    [{ order_id: 'a\u0000b' }, 'order_id', /control characters/],
    [{ id: 'x'.repeat(129) }, 'id', /at most 128/],
  ])('rejects %j at %s', (overrides, field, reason) => {
    const check = checkEvent(orderWith(overrides), 7);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problem.index).toBe(7);
      expect(check.problem.field).toBe(field);
      expect(check.problem.reason).toMatch(reason);
    }
  });

  it('allows a negative price on an adjustment line (bad debt in the real data)', () => {
    const check = checkEvent(orderWith({ lines: [{ product_id: 'B', quantity: 1, unit_price: '-11062.06', kind: 'adjustment' }] }), 0);
    expect(check.ok && check.event.type === 'order' && check.event.lines[0].unit_price).toBe('-11062.06');
  });

  it('names an unknown type', () => {
    const check = checkEvent({ type: 'refund', ts: '2011-01-01T00:00:00Z' }, 2);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problem.field).toBe('type');
  });

  it('keeps injection strings verbatim as data', () => {
    const name = `Robert'); DROP TABLE products;-- <script>alert(1)</script>`;
    const check = checkEvent({ type: 'product', ts: '2011-01-01T00:00:00Z', product_id: 'P1', name, price: '1', currency: 'GBP' }, 0);
    expect(check.ok && check.event.type === 'product' && check.event.name).toBe(name);
  });
});

describe('money', () => {
  it('round-trips decimal strings exactly', () => {
    fc.assert(fc.property(fc.integer({ min: -9_000_000_000, max: 9_000_000_000 }), (units) => {
      expect(moneyToUnits(formatMoneyUnits(units))).toBe(units);
    }));
  });

  it('normalizes numbers and strings', () => {
    expect(normalizeMoney(2.5)).toBe('2.50');
    expect(normalizeMoney('0.001')).toBe('0.001');
    expect(normalizeMoney('-11062.06')).toBe('-11062.06');
    expect(() => normalizeMoney(1e21)).toThrow();
  });

  it('answers a repeated amount the same way, valid or not, however it is padded', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(normalizeMoney(' 2.5 ')).toBe('2.50');
      expect(normalizeMoney(`${' '.repeat(100)}3.10`)).toBe('3.10');
      expect(() => normalizeMoney('2.55555')).toThrow(/at most 4 decimals/);
      expect(() => normalizeMoney(Number.NaN)).toThrow(/not a finite amount/);
    }
  });
});

describe('time', () => {
  it('reads both online-retail date forms in the shop zone', () => {
    expect(parseLocalTimestamp('2010-12-01 08:26:00', 'UTC')).toBe('2010-12-01T08:26:00.000Z');
    expect(parseLocalTimestamp('12/1/2010 8:26', 'UTC')).toBe('2010-12-01T08:26:00.000Z');
    expect(parseLocalTimestamp('2011-07-01 08:26:00', 'Europe/London')).toBe('2011-07-01T07:26:00.000Z');
    expect(() => parseLocalTimestamp('2011-02-30 10:00', 'UTC')).toThrow(/not a valid date/);
  });

  it('gives the local date of an instant', () => {
    expect(localDate(Date.parse('2011-11-14T23:30:00Z'), 'Europe/Berlin')).toBe('2011-11-15');
    expect(localDate(Date.parse('2011-11-14T23:30:00Z'), 'UTC')).toBe('2011-11-14');
  });

  it('accepts zoned ISO and epoch ms, rejects the rest', () => {
    expect(parseZonedTimestamp('2011-11-14T08:26:00+01:00')).toBe('2011-11-14T07:26:00.000Z');
    expect(parseZonedTimestamp(1321259160000)).toBe('2011-11-14T08:26:00.000Z');
    expect(() => parseZonedTimestamp('yesterday')).toThrow();
  });
});
