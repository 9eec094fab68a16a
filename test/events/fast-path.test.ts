/**
 * The fast path must never disagree with the schema: for any input it either steps aside
 * (undefined) or returns exactly the schema's output. Generated inputs mix valid and invalid values.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StorepulseEvent } from '../../src/events/schemas.js';
import { fastCheckEvent } from '../../src/events/fast-path.js';
import { withoutControlCharacters } from '../../src/events/request-body.js';

/** Mostly the valid form, sometimes anything: both sides of every check get exercised. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid });
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const goodText = fc.string({ minLength: 1, maxLength: 12 }).filter((value) => !/[\u0000-\u001f\u007f]/.test(value));
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'a\u0000b', 'x'.repeat(129), "'; DROP TABLE orders;--", 'Zoë €'));
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const anyValue = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), text);
const field = mostly(goodText, fc.oneof(text, anyValue));
const timestamp = mostly(
  fc.oneof(fc.constantFrom('2011-11-14T08:26:00Z', '2011-11-14T08:26:00+01:00'), fc.integer({ min: 7e11, max: 2e12 })),
  fc.oneof(fc.constantFrom('2011-11-14 08:26', 'yesterday', '1989-01-01T00:00:00Z'), fc.integer({ min: 0, max: 2 ** 42 }), fc.double()),
);
const price = mostly(
  fc.oneof(fc.constantFrom('2.55', '0.001', '0', '12'), fc.integer({ min: 0, max: 1000 })),
  fc.oneof(fc.constantFrom('-11062.06', '1.23456', 'NaN', ' 3 '), fc.double({ min: -1e6, max: 1e6 }), fc.integer({ min: -1000, max: 1000 })),
);
const quantity = mostly(fc.integer({ min: -100, max: 100 }).filter((value) => value !== 0),
  fc.oneof(fc.integer({ min: -2e9, max: 2e9 }), fc.constantFrom(0, 1.5, Number.NaN), fc.string({ maxLength: 3 })));
const line = fc.record({
  product_id: field, description: maybe(field), quantity, unit_price: price,
  kind: maybe(mostly(fc.constantFrom('product', 'fee', 'adjustment'), fc.constant('refund'))), extra: maybe(anyValue),
}, { requiredKeys: ['product_id', 'quantity', 'unit_price'] });
const order = fc.record({
  type: fc.constant('order'), id: maybe(field), ts: timestamp, source: maybe(field),
  order_id: field, customer_id: maybe(mostly(goodText, fc.oneof(fc.constant(null), anyValue))), country: maybe(field),
  seller_id: maybe(field), currency: mostly(fc.constantFrom('GBP', 'EUR'), fc.constantFrom('gbp', 'POUNDS')),
  cancellation: maybe(mostly(fc.boolean(), anyValue)), lines: mostly(fc.array(line, { minLength: 1, maxLength: 4 }), fc.oneof(fc.constant([]), anyValue)),
}, { requiredKeys: ['type', 'ts', 'order_id', 'currency', 'lines'] });
const view = fc.record({
  type: fc.constant('product_view'), id: maybe(field), ts: timestamp, product_id: field,
  session_id: maybe(mostly(goodText, fc.oneof(fc.constant(null), anyValue))), customer_id: maybe(field),
  country: maybe(field), location: maybe(field),
}, { requiredKeys: ['type', 'ts', 'product_id'] });

/** Generated ids differ between two calls; give both the same one when the input has none. */
function withId(input: Record<string, unknown>) {
  return input.id === undefined ? { ...input, id: 'generated' } : input;
}

describe('fast path of the event check', () => {
  it('agrees with the schema on generated orders and views, valid or not', () => {
    let fastAnswers = 0;
    fc.assert(fc.property(fc.oneof(order, view), (input) => {
      const raw = withId(input as Record<string, unknown>);
      const fast = fastCheckEvent(raw);
      const schema = StorepulseEvent.safeParse(raw);
      if (fast === undefined) return;
      fastAnswers += 1;
      expect(schema.success).toBe(true);
      expect(fast).toEqual(schema.data);
    }), { numRuns: 3000 });
    // The generators must reach the fast path often enough for the property to mean something.
    expect(fastAnswers).toBeGreaterThan(300);
  });

  it('answers the same when told that a body without backslashes and DEL holds no control characters', () => {
    let clean = 0;
    fc.assert(fc.property(fc.oneof(order, view), (input) => {
      const body = Buffer.from(JSON.stringify(withId(input as Record<string, unknown>)));
      if (!withoutControlCharacters(body)) return;
      clean += 1;
      const parse = () => JSON.parse(body.toString('utf8')) as unknown;
      expect(fastCheckEvent(parse(), { withoutControlCharacters: true })).toEqual(fastCheckEvent(parse()));
    }), { numRuns: 3000 });
    expect(clean).toBeGreaterThan(1000);
    // Control characters only reach a string through an escape or as a raw DEL.
    expect(() => JSON.parse('{"text":"a\u0001b"}')).toThrow();
    const cleanBody = (text: string) => withoutControlCharacters(Buffer.from(text));
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const controlCharacter = /[\u0000-\u001f\u007f]/;
    for (const escape of ['\\n', '\\t', '\\r', '\\b', '\\f', '\\u0000', '\\u001F', '\\u001f', '\\u007F', '\\u007f', '\\\\\\n']) {
      expect(cleanBody(`{"text":"a${escape}b"}`), escape).toBe(false);
      expect(controlCharacter.test(JSON.parse(`{"text":"a${escape}b"}`).text), escape).toBe(true);
    }
    expect(cleanBody('{"text":"a\u007fb"}'), 'a raw DEL').toBe(false);
    for (const escape of ['\\"', '\\\\', '\\/', '\\u00e9', '\\u0020', '\\u0080', '\\u2028', '\\\\u0001', '\\\\n']) {
      expect(cleanBody(`{"text":"7${escape} RECORD FRAME"}`), escape).toBe(true);
      expect(controlCharacter.test(JSON.parse(`{"text":"7${escape} RECORD FRAME"}`).text), escape).toBe(false);
    }
  });

  it('answers for a typical order and view, and steps aside for other types', () => {
    const orderInput = { id: 'o-1', type: 'order', ts: '2011-11-14T08:26:00Z', order_id: '536365', currency: 'GBP', lines: [{ product_id: '85123A', quantity: 6, unit_price: '2.55' }] };
    expect(fastCheckEvent(orderInput)).toEqual(StorepulseEvent.parse(orderInput));
    expect(fastCheckEvent({ type: 'product_view', ts: 1321259160000, product_id: 'P1' })).toMatchObject({ product_id: 'P1', source: 'api', ts: '2011-11-14T08:26:00.000Z' });
    expect(fastCheckEvent({ type: 'restock', ts: '2011-11-14T08:26:00Z', product_id: 'P1', quantity: 3 })).toBeUndefined();
    expect(fastCheckEvent([1, 2])).toBeUndefined();
  });

  it('steps aside for an object or array under a key it does not read, so that ingest bounds its depth', () => {
    const orderInput = { type: 'order', ts: '2011-11-14T08:26:00Z', order_id: '536365', currency: 'GBP', lines: [{ product_id: '85123A', quantity: 6, unit_price: '2.55' }] };
    expect(fastCheckEvent({ ...orderInput, note: 'flat values are stripped, as zod does' })).toBeDefined();
    expect(fastCheckEvent({ ...orderInput, extra: { deep: [] } })).toBeUndefined();
    expect(fastCheckEvent({ ...orderInput, lines: [{ ...orderInput.lines[0], extra: [] }] })).toBeUndefined();
    expect(fastCheckEvent({ type: 'product_view', ts: 1321259160000, product_id: 'P1', extra: {} })).toBeUndefined();
  });
});
