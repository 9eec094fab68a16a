import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, orderEvent, readHeaders, writeHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await openTestApp({ STOREPULSE_MAX_EVENT_BYTES: '4096', STOREPULSE_MAX_REQUEST_BYTES: '65536' }); });
afterAll(async () => { await t.close(); });

const post = (payload: string | object, headers: Record<string, string> = writeHeaders) =>
  t.server.inject({ method: 'POST', url: '/v1/events', headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

async function totals(): Promise<Record<string, number>> {
  await t.app.consumer.drain();
  const response = await t.server.inject({ method: 'GET', url: '/api/kpis/totals', headers: readHeaders });
  return response.json().rows[0];
}

describe('POST /v1/events', () => {
  it('answers 401 without the write key, or with the read key', async () => {
    expect((await post([orderEvent('x')], { 'content-type': 'application/json' })).statusCode).toBe(401);
    expect((await post([orderEvent('x')], { ...readHeaders, 'content-type': 'application/json' })).statusCode).toBe(401);
  });

  it('takes a JSON array, an { events } object and NDJSON, and counts each event once', async () => {
    const before = await totals();
    const array = await post([orderEvent('a1'), orderEvent('a2')]);
    expect(array.statusCode).toBe(202);
    expect(array.json()).toEqual({ accepted: ['a1', 'a2'], duplicates: [], rejected: [] });

    const wrapped = await post({ events: [orderEvent('a3')] });
    expect(wrapped.json().accepted).toEqual(['a3']);

    const ndjson = await post(`${JSON.stringify(orderEvent('a4'))}\n\n${JSON.stringify(orderEvent('a5'))}\n`, { ...writeHeaders, 'content-type': 'application/x-ndjson' });
    expect(ndjson.json().accepted).toEqual(['a4', 'a5']);

    const after = await totals();
    expect(after.orders - before.orders).toBe(5);
    expect(after.net_revenue - before.net_revenue).toBeCloseTo(25, 2);
  });

  it('reports duplicates, within a request and across requests, and never counts them twice', async () => {
    const before = await totals();
    const first = await post([orderEvent('d1'), orderEvent('d1')]);
    expect(first.json()).toMatchObject({ accepted: ['d1'], duplicates: ['d1'] });
    const again = await post([orderEvent('d1')]);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ accepted: [], duplicates: ['d1'] });
    expect((await totals()).orders - before.orders).toBe(1);
  });

  it('generates ids for id-less events, and counts an event sent back with its generated id once', async () => {
    const before = await totals();
    const withoutId = (orderId: string) => ({ ...orderEvent(orderId), id: undefined });
    const first = await post([withoutId('gen-a'), withoutId('gen-b')]);
    expect(first.statusCode).toBe(202);
    const [generated, other] = first.json().accepted as string[];
    expect(generated).toMatch(/^ev_/);
    expect(other).not.toBe(generated);
    // The log does not index generated ids, so this one is accepted again; the sinks skip it.
    const again = await post([{ ...withoutId('gen-a'), id: generated }]);
    expect(again.statusCode).toBe(202);
    const after = await totals();
    expect(after.orders - before.orders).toBe(2);
    expect(after.net_revenue - before.net_revenue).toBeCloseTo(10, 2);
  });

  it('rejects bad events with index, field and reason and still takes the good ones', async () => {
    const response = await post([
      orderEvent('ok-1'),
      { ...orderEvent('bad-qty'), lines: [{ product_id: 'P1', quantity: 'six', unit_price: '1' }] },
      { ...orderEvent('bad-price'), lines: [{ product_id: 'P1', quantity: 1, unit_price: 'NaN' }] },
      { type: 'product_view' },
      'not an object',
    ]);
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body.accepted).toEqual(['ok-1']);
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 1, id: 'bad-qty', field: 'lines.0.quantity' }),
      expect.objectContaining({ index: 2, id: 'bad-price', field: 'lines.0.unit_price' }),
      expect.objectContaining({ index: 3, field: 'ts' }),
      expect.objectContaining({ index: 4, field: '(event)' }),
    ]);
  });

  it('answers 400 with the reason for invalid JSON, NaN/Infinity literals, and bodies of the wrong shape', async () => {
    for (const body of ['{"events": [', '[{"type":"order","x":NaN}]', '[Infinity]', '{"events": 5}', '"hello"', 'null']) {
      const response = await post(body);
      expect(response.statusCode, body).toBe(400);
      expect(response.json().message, body).toMatch(/JSON|array/);
    }
    const badLine = await post(`${JSON.stringify(orderEvent('n1'))}\n{oops`, { ...writeHeaders, 'content-type': 'application/x-ndjson' });
    expect(badLine.statusCode).toBe(400);
    expect(badLine.json().message).toMatch(/line 2/);
  });

  it('answers 400 when nothing valid was sent, and 400 for an empty body', async () => {
    expect((await post([{ type: 'order' }])).statusCode).toBe(400);
    expect((await post('')).statusCode).toBe(400);
    expect((await post([])).statusCode).toBe(400);
  });

  it('answers 413 naming the per-request limit, and the per-event limit with the index', async () => {
    const huge = await post('x'.repeat(70_000));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().message).toMatch(/per-request limit/);

    const bigLines = Array.from({ length: 60 }, (_, index) => ({ product_id: `P${index}`, description: 'x'.repeat(60), quantity: 1, unit_price: '1' }));
    const bigEvent = await post([orderEvent('small'), orderEvent('big', { lines: bigLines })]);
    expect(bigEvent.statusCode).toBe(413);
    expect(bigEvent.json().message).toMatch(/event 1 is .* over the 4 KiB per-event limit/);
    // Nothing of that request was taken.
    const retry = await post([orderEvent('small')]);
    expect(retry.json().accepted).toEqual(['small']);
  });

  it('survives deeply nested and hostile bodies and keeps serving', async () => {
    const nested = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const deep = await post(nested);
    expect(deep.statusCode).toBe(400);
    expect(deep.json().message).toMatch(/nests deeper/);
    const productWithDetails = (depth: number) => ({ type: 'product', ts: '2011-01-01T00:00:00Z', product_id: 'deep', name: 'Deep', price: '1', currency: 'GBP', details: { a: JSON.parse(`${'{"b":'.repeat(depth)}1${'}'.repeat(depth)}`) } });
    const tooDeep = await post([productWithDetails(500)]);
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json().message).toMatch(/nests deeper/);
    // An otherwise valid order carrying a deep value under an unknown key is refused too, in a small body and in one over the per-event limit.
    const withDeepValue = (event: object, depth: number) => JSON.stringify(event).replace('"here"', `${'['.repeat(depth)}${']'.repeat(depth)}`);
    for (const body of [
      `[${withDeepValue(orderEvent('deep-extra', { extra: 'here' }), 1_500)}]`,
      `[${JSON.stringify(orderEvent('small-1'))},${withDeepValue(orderEvent('deep-big', { lines: [{ product_id: 'P1', quantity: 1, unit_price: '1', extra: 'here' }] }), 5_000)}]`,
    ]) {
      const refused = await post(body);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toMatch(/nests deeper/);
    }
    const nestedValue = await post([productWithDetails(3)]);
    expect(nestedValue.statusCode).toBe(400);
    expect(nestedValue.json().rejected[0].field).toMatch(/^details\.a/);
    expect((await t.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });


  it('counts nesting outside strings only, whatever the strings escape', async () => {
    // Brackets inside strings (after escaped quotes and backslashes) do not nest; a string ending in an
    // escaped backslash closes, so the brackets after it do.
    const tricky = { ...orderEvent('nest-strings'), country: `\\"${'['.repeat(40)}\\\\` };
    const inStrings = await post([tricky]);
    expect(inStrings.statusCode).toBe(202);
    const afterBackslash = `[{"note":"ends with \\\\","deep":${'['.repeat(40)}${']'.repeat(40)}}]`;
    const deep = await post(afterBackslash);
    expect(deep.statusCode).toBe(400);
    expect(deep.json().message).toMatch(/nests deeper/);
  });
  it('stores injection strings verbatim as data', async () => {
    const name = `x'); DROP TABLE products;-- <script>alert(1)</script> "quoted" \\ ü€`;
    const response = await post([{ id: 'hostile-product', type: 'product', ts: '2011-01-01T00:00:00Z', product_id: "P'1;--", name, price: '3.00', currency: 'GBP' }]);
    expect(response.statusCode).toBe(202);
    await t.app.consumer.drain();
    const product = await t.server.inject({ method: 'GET', url: `/api/products/${encodeURIComponent("P'1;--")}`, headers: readHeaders });
    expect(product.statusCode).toBe(200);
    expect(product.json().name).toBe(name);
  });

  it('dead-letters an event that breaks a business rule without blocking the rest', async () => {
    const before = await totals();
    const response = await post([orderEvent('usd-order', { currency: 'USD' }), orderEvent('gbp-order')]);
    expect(response.json().accepted).toEqual(['usd-order', 'gbp-order']);
    expect((await totals()).orders - before.orders).toBe(1);
    const letters = await t.app.store.listDeadLetters({ limit: 100, offset: 0 });
    expect(letters.items.find((letter) => letter.event_id === 'usd-order')?.reason).toMatch(/currency USD differs/);
  });
});

describe('query API', () => {
  it('needs the read key', async () => {
    expect((await t.server.inject({ method: 'GET', url: '/api/kpis/totals' })).statusCode).toBe(401);
  });

  it('answers KPIs as JSON and CSV, and says what is wrong with bad parameters', async () => {
    await post([orderEvent('q1', { country: 'Belgium', lines: [{ product_id: 'Q', quantity: 3, unit_price: '1.10' }] })]);
    await t.app.consumer.drain();
    const json = await t.server.inject({ method: 'GET', url: '/api/kpis/most-sold?from=2011-11-01&to=2011-12-01&country=Belgium', headers: readHeaders });
    expect(json.statusCode).toBe(200);
    expect(json.json().rows[0]).toMatchObject({ product_id: 'Q', units: 3 });
    const csv = await t.server.inject({ method: 'GET', url: '/api/kpis/most-sold?country=Belgium', headers: { ...readHeaders, accept: 'text/csv' } });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[1]).toMatch(/^Q,/);
    const bad = await t.server.inject({ method: 'GET', url: '/api/kpis/totals?from=yesterday', headers: readHeaders });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^from:/);
    const unknown = await t.server.inject({ method: 'GET', url: '/api/kpis/nope', headers: readHeaders });
    expect(unknown.statusCode).toBe(404);
  });

  it('finds invoices by number and by customer, paged', async () => {
    await post([orderEvent('inv-1', { customer_id: 'CUST-9' }), orderEvent('inv-2', { customer_id: 'CUST-9' }), orderEvent('inv-3', { customer_id: 'CUST-9' })]);
    await t.app.consumer.drain();
    const one = await t.server.inject({ method: 'GET', url: '/api/invoices/inv-2', headers: readHeaders });
    expect(one.json()).toMatchObject({ order_id: 'inv-2', customer_id: 'CUST-9', lines: [expect.objectContaining({ product_id: 'P1', quantity: 2 })] });
    const page = await t.server.inject({ method: 'GET', url: '/api/invoices?customer_id=CUST-9&limit=2&offset=0', headers: readHeaders });
    expect(page.json()).toMatchObject({ total: 3, limit: 2 });
    expect(page.json().items).toHaveLength(2);
    const missing = await t.server.inject({ method: 'GET', url: '/api/invoices', headers: readHeaders });
    expect(missing.statusCode).toBe(400);
    expect((await t.server.inject({ method: 'GET', url: '/api/invoices/none', headers: readHeaders })).statusCode).toBe(404);
  });
});
