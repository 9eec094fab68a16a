/**
 * Behaviour every Store adapter must have (DESIGN §4). Run from test/store/<adapter>.test.ts.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorepulseEvent, type StorepulseEventInput } from '../../src/events/schemas.js';
import type { Store } from '../../src/store/port.js';

export interface StoreFixture {
  store: Store;
  /** Opens a new Store on the same underlying database (the suite closes the old one first). */
  reopen: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

export const HOSTILE = `it's "quoted" '; DROP TABLE orders; -- ünïcødé 💥 \\ 100% _x_`;

type OrderLineInput = { product_id: string; description?: string; quantity: number; unit_price: string | number; kind?: string };

export function order(id: string, fields: { order_id?: string; ts?: string; customer_id?: string; country?: string;
  cancellation?: boolean; lines: OrderLineInput[] }): StorepulseEvent {
  return StorepulseEvent.parse({
    id, type: 'order', ts: fields.ts ?? '2011-11-14T08:26:00Z', source: 'contract', order_id: fields.order_id ?? id,
    customer_id: fields.customer_id, country: fields.country, currency: 'GBP', cancellation: fields.cancellation ?? false,
    lines: fields.lines,
  } as StorepulseEventInput);
}

export function product(id: string, fields: Record<string, unknown>): StorepulseEvent {
  return StorepulseEvent.parse({ id, type: 'product', ts: '2011-11-01T00:00:00Z', source: 'contract', price: '10.00', currency: 'GBP', ...fields });
}

export function restock(id: string, productId: string, quantity: number): StorepulseEvent {
  return StorepulseEvent.parse({ id, type: 'restock', ts: '2011-11-15T00:00:00Z', product_id: productId, quantity });
}

export function describeStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;

    const reopen = async () => {
      await store.close();
      store = await fixture.reopen();
      return store;
    };
    const stock = async (productId: string) => (await store.getProduct(productId))?.in_stock;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });

    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    describe('applyEvents', () => {
      it('applies new ids and skips them when applied again, leaving inventory and invoices unchanged', async () => {
        const events = [
          product('p1', { product_id: 'DISK-1', name: 'WD Blue 1TB HDD', instock: 50 }),
          order('o1', { customer_id: 'c1', lines: [{ product_id: 'DISK-1', quantity: 3, unit_price: '40.00' }] }),
          restock('r1', 'DISK-1', 5),
        ];
        expect(await store.applyEvents(events)).toEqual({ applied: ['p1', 'o1', 'r1'], skipped: [] });
        expect(await store.applyEvents(events)).toEqual({ applied: [], skipped: ['p1', 'o1', 'r1'] });
        expect(await stock('DISK-1')).toBe(52);
        expect((await store.listInvoices('c1', { limit: 10, offset: 0 })).total).toBe(1);
      });

      it('keeps the rows of orders in the hot window only, and counts the older ones everywhere else', async () => {
        const hotFrom = '2011-12-03T00:00:00.000Z';
        const events = [
          order('o-cold', { order_id: 'INV-COLD', ts: '2011-12-02T23:59:59Z', customer_id: 'c-hot', lines: [{ product_id: 'NEW-1', description: 'New thing', quantity: 2, unit_price: '3.00' }] }),
          order('o-hot', { order_id: 'INV-HOT', ts: '2011-12-03T00:00:00Z', customer_id: 'c-hot', lines: [{ product_id: 'NEW-1', quantity: 1, unit_price: '3.00' }] }),
        ];
        expect(await store.applyEvents(events, { hotFrom })).toEqual({ applied: ['o-cold', 'o-hot'], skipped: [] });
        expect(await store.getInvoice('INV-COLD')).toBeUndefined();
        expect(await store.getInvoice('INV-HOT')).toMatchObject({ order_id: 'INV-HOT', total: '3.00' });
        expect((await store.listInvoices('c-hot', { limit: 10, offset: 0 })).total).toBe(1);
        // The cold order still took its stock and made its product known, and is not applied twice.
        expect(await stock('NEW-1')).toBe(-3);
        expect((await store.getProduct('NEW-1'))?.name).toBe('New thing');
        expect(await store.applyEvents(events)).toEqual({ applied: [], skipped: ['o-cold', 'o-hot'] });
        expect(await store.getInvoice('INV-COLD')).toBeUndefined();
      });

      it('skips an id repeated within one call', async () => {
        const event = order('o-twice', { lines: [{ product_id: 'A', quantity: 1, unit_price: 1 }] });
        expect(await store.applyEvents([event, event])).toEqual({ applied: ['o-twice'], skipped: ['o-twice'] });
        expect(await stock('A')).toBe(-1);
      });

      it('remembers applied ids across a reopen', async () => {
        const event = restock('r-reopen', 'A', 4);
        await store.applyEvents([event]);
        await reopen();
        expect(await store.applyEvents([event])).toEqual({ applied: [], skipped: ['r-reopen'] });
        expect(await stock('A')).toBe(4);
      });

      it('counts views, cart adds and probes as applied without storing products for them', async () => {
        const events = [
          StorepulseEvent.parse({ id: 'v1', type: 'product_view', ts: 1_321_259_160_000, product_id: 'VIEWED' }),
          StorepulseEvent.parse({ id: 'c1', type: 'cart_add', ts: 1_321_259_160_000, product_id: 'VIEWED', quantity: 2 }),
          StorepulseEvent.parse({ id: 'pr1', type: 'probe', ts: 1_321_259_160_000, location: 'eu', target: 'https://shop', ok: true, latency_ms: 12 }),
        ];
        expect(await store.applyEvents(events)).toEqual({ applied: ['v1', 'c1', 'pr1'], skipped: [] });
        expect(await store.applyEvents(events)).toEqual({ applied: [], skipped: ['v1', 'c1', 'pr1'] });
        expect(await store.getProduct('VIEWED')).toBeUndefined();
      });

      it('accepts an empty call', async () => {
        expect(await store.applyEvents([])).toEqual({ applied: [], skipped: [] });
      });
    });

    describe('inventory', () => {
      it('subtracts product lines, adds back returns, adds restocks, and ignores fee and adjustment lines', async () => {
        await store.applyEvents([product('p', { product_id: 'MUG', name: 'Mug', instock: 10 })]);
        await store.applyEvents([order('o1', { lines: [
          { product_id: 'MUG', quantity: 3, unit_price: '2.55' },
          { product_id: 'POST', quantity: 1, unit_price: '18.00', kind: 'fee' },
          { product_id: 'MUG', quantity: 1, unit_price: '2.55' },
        ] })]);
        expect(await stock('MUG')).toBe(6);
        await store.applyEvents([order('c1', { cancellation: true, lines: [{ product_id: 'MUG', quantity: -2, unit_price: '2.55' }] })]);
        expect(await stock('MUG')).toBe(8);
        await store.applyEvents([restock('r1', 'MUG', 12)]);
        expect(await stock('MUG')).toBe(20);
        expect(await stock('POST')).toBe(0);
      });

      it('changes the stock of every product of a call that touches hundreds, with levels and deltas mixed', async () => {
        const ids = Array.from({ length: 250 }, (_, index) => `P${index}`);
        await store.applyEvents(ids.filter((_, index) => index % 7 === 0).map((id) => product(`p-${id}`, { product_id: id, name: id, instock: 100 })));
        await store.applyEvents([
          order('big', { lines: ids.map((id, index) => ({ product_id: id, quantity: (index % 5) + 1, unit_price: '1.00' })) }),
          restock('r-P3', 'P3', 10),
          product('p-again-P14', { product_id: 'P14', name: 'P14', instock: 40, ts: '2011-11-20T00:00:00Z' }),
        ]);
        const expected = (index: number) => (index === 14 ? 40 : (index % 7 === 0 ? 100 : 0) - ((index % 5) + 1) + (index === 3 ? 10 : 0));
        expect(await Promise.all(ids.map(stock))).toEqual(ids.map((_, index) => expected(index)));
      });

      it('matches a running model for any sequence of orders, returns, restocks and stock levels, however split and replayed', async () => {
        type Step = { kind: 'order' | 'restock' | 'level'; product: number; quantity: number };
        const step = fc.record({
          kind: fc.constantFrom<Step['kind']>('order', 'restock', 'level'),
          product: fc.integer({ min: 0, max: 2 }),
          quantity: fc.integer({ min: -5, max: 20 }).filter((quantity) => quantity !== 0),
        });
        let run = 0;
        await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 7 }), async (steps, chunk) => {
          run += 1;
          const productId = (index: number) => `prop-${run}-${index}`;
          const model = new Map<string, number>();
          const events = steps.map(({ kind, product: index, quantity }, position) => {
            const id = `prop-${run}-${position}`;
            const current = model.get(productId(index)) ?? 0;
            if (kind === 'order') {
              model.set(productId(index), current - quantity);
              return order(id, { lines: [{ product_id: productId(index), quantity, unit_price: '1.00' }] });
            }
            if (kind === 'restock') {
              model.set(productId(index), current + Math.abs(quantity));
              return restock(id, productId(index), Math.abs(quantity));
            }
            model.set(productId(index), Math.abs(quantity));
            return product(id, { product_id: productId(index), name: 'Prop', instock: Math.abs(quantity), ts: `2011-11-01T00:00:${String(position).padStart(2, '0')}Z` });
          });
          for (let start = 0; start < events.length; start += chunk) await store.applyEvents(events.slice(start, start + chunk));
          expect((await store.applyEvents(events)).applied).toEqual([]);
          for (const [id, expected] of model) expect(await stock(id)).toBe(expected);
        }), { numRuns: 40 });
      });

      it("sets the level from a product event's instock, in event order within one call", async () => {
        await store.applyEvents([
          order('o1', { lines: [{ product_id: 'SSD', quantity: 4, unit_price: 45 }] }),
          product('p1', { product_id: 'SSD', name: 'Samsung 870 Evo', instock: 30 }),
          order('o2', { lines: [{ product_id: 'SSD', quantity: 2, unit_price: 45 }] }),
          restock('r1', 'SSD', 1),
        ]);
        expect(await stock('SSD')).toBe(29);
        await store.applyEvents([product('p2', { product_id: 'SSD', name: 'Samsung 870 Evo', instock: 7, ts: '2011-12-01T00:00:00Z' })]);
        expect(await stock('SSD')).toBe(7);
      });
    });

    describe('catalog', () => {
      it('creates a product from an order line: name from the description, else the id; kind from the line', async () => {
        await store.applyEvents([order('o1', { lines: [
          { product_id: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6, unit_price: '2.55' },
          { product_id: 'NODESC', quantity: 1, unit_price: '1.00' },
          { product_id: 'POST', description: 'POSTAGE', quantity: 1, unit_price: '18.00', kind: 'fee' },
        ] })]);
        const found = await store.productsByIds(['85123A', 'NODESC', 'POST', 'UNKNOWN']);
        expect([...found.keys()].sort()).toEqual(['85123A', 'NODESC', 'POST']);
        expect(found.get('85123A')).toMatchObject({ name: 'WHITE HANGING HEART T-LIGHT HOLDER', kind: 'product', price: null });
        expect(found.get('NODESC')?.name).toBe('NODESC');
        expect(found.get('POST')).toMatchObject({ name: 'POSTAGE', kind: 'fee' });
      });

      it('answers productsByIds with the catalog as it is now, after products change between lookups', async () => {
        await store.applyEvents([order('o1', { lines: [{ product_id: 'CHANGING', description: 'inferred name', quantity: 1, unit_price: 1 }] })]);
        const before = (await store.productsByIds(['CHANGING', 'NOT-YET'])).get('CHANGING');
        expect(before).toMatchObject({ name: 'inferred name', category: null });
        await store.applyEvents([product('p-changing', { product_id: 'CHANGING', name: 'Catalog name', category: 'disks' })]);
        await store.applyEvents([order('o2', { lines: [{ product_id: 'NOT-YET', quantity: 1, unit_price: 1 }] })]);
        const found = await store.productsByIds(['CHANGING', 'NOT-YET']);
        expect(found.get('CHANGING')).toMatchObject({ name: 'Catalog name', category: 'disks', price: '10.00' });
        expect(found.get('NOT-YET')).toMatchObject({ name: 'NOT-YET' });
        // An entry handed out is never changed: the route step remembers facts per entry object.
        expect(found.get('CHANGING')).not.toBe(before);
        expect(before).toMatchObject({ name: 'inferred name', category: null });
      });

      it('keeps a catalog name when a later line describes the product differently, and lets a product event replace an inferred one', async () => {
        await store.applyEvents([product('p1', { product_id: 'KNOWN', name: 'Catalog name', category: 'disks', brand: 'WD' })]);
        await store.applyEvents([order('o1', { lines: [
          { product_id: 'KNOWN', description: 'line text', quantity: 1, unit_price: 1 },
          { product_id: 'LATER', description: 'first line text', quantity: 1, unit_price: 1 },
        ] })]);
        expect((await store.getProduct('KNOWN'))?.name).toBe('Catalog name');
        await store.applyEvents([product('p2', { product_id: 'LATER', name: 'Real name', price: '3.5', seller_id: 's1' })]);
        expect(await store.getProduct('LATER')).toMatchObject({ name: 'Real name', price: '3.50', seller_id: 's1', kind: 'product' });
      });

      it('does not let an older product event overwrite a newer one', async () => {
        await store.applyEvents([product('new', { product_id: 'X', name: 'New name', ts: '2011-12-01T00:00:00Z', instock: 5 })]);
        await store.applyEvents([product('old', { product_id: 'X', name: 'Old name', ts: '2011-01-01T00:00:00Z', instock: 99 })]);
        expect(await store.getProduct('X')).toMatchObject({ name: 'New name', in_stock: 5 });
      });

      it('keeps details apart from the summary and returns them with the product record', async () => {
        const details = { type: 'SSD', storage: 500, storage_unit: 'GB', read_speed: 560, nvme: false, note: null };
        await store.applyEvents([product('p1', { product_id: 'D816', name: 'Samsung 870 Evo SSD 500GB', price: 45, category: 'SSD',
          brand: 'Samsung', instock: 12, details })]);
        const record = await store.getProduct('D816');
        expect(record).toMatchObject({ product_id: 'D816', price: '45.00', currency: 'GBP', category: 'SSD', brand: 'Samsung', in_stock: 12, details });
        expect(Number.isNaN(Date.parse(record?.created_at ?? ''))).toBe(false);
        const listed = (await store.listProducts({ limit: 10, offset: 0 })).items[0];
        expect(listed).toEqual({ product_id: 'D816', name: 'Samsung 870 Evo SSD 500GB', kind: 'product', category: 'SSD', brand: 'Samsung',
          seller_id: null, price: '45.00', currency: 'GBP', in_stock: 12 });
        expect((await store.getProduct('NONE'))).toBeUndefined();
      });

      it('pages and searches products by id or name, treating % and _ literally', async () => {
        await store.applyEvents(['A', 'B', 'C', 'D'].map((letter) => product(`p${letter}`, { product_id: `ID-${letter}`, name: `Disk ${letter}` })));
        await store.applyEvents([product('pct', { product_id: 'PCT', name: '100% cotton_bag' })]);
        const page = await store.listProducts({ limit: 2, offset: 1 });
        expect(page).toMatchObject({ total: 5, limit: 2, offset: 1 });
        expect(page.items.map((item) => item.product_id)).toEqual(['ID-B', 'ID-C']);
        expect((await store.listProducts({ limit: 10, offset: 0, search: 'disk c' })).items.map((item) => item.product_id)).toEqual(['ID-C']);
        expect((await store.listProducts({ limit: 10, offset: 0, search: 'id-d' })).items.map((item) => item.product_id)).toEqual(['ID-D']);
        expect((await store.listProducts({ limit: 10, offset: 0, search: '0% c' })).total).toBe(1);
        expect((await store.listProducts({ limit: 10, offset: 0, search: 'n_b' })).total).toBe(1);
        expect((await store.listProducts({ limit: 10, offset: 0, search: '%' })).total).toBe(1);
        expect((await store.listProducts({ limit: 10, offset: 0, search: 'k_' })).total).toBe(0);
      });
    });

    describe('invoices', () => {
      it('finds an invoice by number with its lines, exact amounts and total', async () => {
        await store.applyEvents([order('retail:536365', { order_id: '536365', customer_id: '17850', country: 'United Kingdom',
          ts: '2010-12-01T08:26:00Z', lines: [
            { product_id: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6, unit_price: '2.55' },
            { product_id: '84029G', quantity: 6, unit_price: '3.39' },
            { product_id: '21000', quantity: 1000, unit_price: '0.001' },
            { product_id: 'B', description: 'Adjust bad debt', quantity: 1, unit_price: '-11062.06', kind: 'adjustment' },
          ] })]);
        const invoice = await store.getInvoice('536365');
        expect(invoice).toMatchObject({ order_id: '536365', event_id: 'retail:536365', ts: '2010-12-01T08:26:00.000Z', customer_id: '17850',
          country: 'United Kingdom', seller_id: null, currency: 'GBP', cancellation: false, line_count: 4, total: '-11025.42' });
        expect(invoice?.lines).toEqual([
          { line_no: 1, product_id: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6, unit_price: '2.55', kind: 'product', amount: '15.30' },
          { line_no: 2, product_id: '84029G', description: null, quantity: 6, unit_price: '3.39', kind: 'product', amount: '20.34' },
          { line_no: 3, product_id: '21000', description: null, quantity: 1000, unit_price: '0.001', kind: 'product', amount: '1.00' },
          { line_no: 4, product_id: 'B', description: 'Adjust bad debt', quantity: 1, unit_price: '-11062.06', kind: 'adjustment', amount: '-11062.06' },
        ]);
        expect(await store.getInvoice('999999')).toBeUndefined();
      });

      it("lists a customer's invoices newest first, paged, with cancellations marked", async () => {
        const days = ['01', '02', '03', '04', '05'];
        await store.applyEvents(days.map((day) => order(`o-${day}`, { customer_id: 'c42', ts: `2011-03-${day}T10:00:00Z`,
          lines: [{ product_id: 'A', quantity: 2, unit_price: '1.25' }] })));
        await store.applyEvents([
          order('C-06', { customer_id: 'c42', ts: '2011-03-06T10:00:00Z', cancellation: true, lines: [{ product_id: 'A', quantity: -1, unit_price: '1.25' }] }),
          order('other', { customer_id: 'c43', lines: [{ product_id: 'A', quantity: 1, unit_price: 1 }] }),
        ]);
        const first = await store.listInvoices('c42', { limit: 4, offset: 0 });
        expect(first).toMatchObject({ total: 6, limit: 4, offset: 0 });
        expect(first.items.map((item) => item.order_id)).toEqual(['C-06', 'o-05', 'o-04', 'o-03']);
        expect(first.items[0]).toMatchObject({ cancellation: true, total: '-1.25', line_count: 1 });
        expect(first.items[1]).toMatchObject({ cancellation: false, total: '2.50' });
        expect((await store.listInvoices('c42', { limit: 4, offset: 4 })).items.map((item) => item.order_id)).toEqual(['o-02', 'o-01']);
        expect(await store.listInvoices('nobody', { limit: 4, offset: 0 })).toEqual({ items: [], total: 0, limit: 4, offset: 0 });
      });

      it('returns the most recent invoice when an order number repeats across events', async () => {
        await store.applyEvents([
          order('diskovery:O041:2023-12-24', { order_id: 'O041', ts: '2023-12-24T17:43:29Z', lines: [{ product_id: 'D010', quantity: 8, unit_price: 23 }] }),
          order('diskovery:O041:2023-12-25', { order_id: 'O041', ts: '2023-12-25T09:00:00Z', lines: [{ product_id: 'D010', quantity: 1, unit_price: 23 }] }),
        ]);
        expect(await store.getInvoice('O041')).toMatchObject({ event_id: 'diskovery:O041:2023-12-25', total: '23.00' });
        expect(await stock('D010')).toBe(-9);
      });

      it('deletes orders older than the bound with their lines, and never re-applies them', async () => {
        const old = order('old', { customer_id: 'c1', ts: '2011-01-01T00:00:00Z', lines: [{ product_id: 'A', quantity: 1, unit_price: 1 }] });
        await store.applyEvents([
          old,
          order('older', { customer_id: 'c1', ts: '2010-06-01T00:00:00Z', lines: [{ product_id: 'A', quantity: 1, unit_price: 1 }] }),
          order('new', { customer_id: 'c1', ts: '2011-06-01T00:00:00Z', lines: [{ product_id: 'A', quantity: 1, unit_price: 1 }] }),
        ]);
        expect(await store.pruneOrdersBefore('2011-03-01T00:00:00Z')).toBe(2);
        expect(await store.getInvoice('old')).toBeUndefined();
        expect((await store.listInvoices('c1', { limit: 10, offset: 0 })).items.map((item) => item.order_id)).toEqual(['new']);
        expect((await store.getInvoice('new'))?.lines).toHaveLength(1);
        expect(await store.pruneOrdersBefore('2011-03-01T00:00:00Z')).toBe(0);
        expect(await store.applyEvents([old])).toEqual({ applied: [], skipped: ['old'] });
        expect(await stock('A')).toBe(-3);
      });
    });

    describe('hostile strings', () => {
      it('stores quotes, SQL and unicode verbatim in products, orders and searches', async () => {
        const productId = `'; DROP TABLE products; -- ü`;
        await store.applyEvents([
          product('p-hostile', { product_id: productId, name: HOSTILE, category: 'Cat "x"', brand: "O'Brien", details: { [HOSTILE.slice(0, 50)]: HOSTILE } }),
          order(`id ${HOSTILE}`.slice(0, 128), { order_id: HOSTILE.slice(0, 128), customer_id: 'Zoë "the" O\'Neil', country: 'Côte d’Ivoire',
            lines: [{ product_id: productId, description: HOSTILE, quantity: 2, unit_price: '1.5' },
              { product_id: '日本語-商品', description: '🎁 gift', quantity: 1, unit_price: 3 }] }),
        ]);
        expect(await store.getProduct(productId)).toMatchObject({ name: HOSTILE, category: 'Cat "x"', brand: "O'Brien",
          details: { [HOSTILE.slice(0, 50)]: HOSTILE }, in_stock: -2 });
        expect((await store.getProduct('日本語-商品'))?.name).toBe('🎁 gift');
        const invoice = await store.getInvoice(HOSTILE.slice(0, 128));
        expect(invoice?.customer_id).toBe('Zoë "the" O\'Neil');
        expect(invoice?.country).toBe('Côte d’Ivoire');
        expect(invoice?.lines[0].description).toBe(HOSTILE);
        expect((await store.listInvoices('Zoë "the" O\'Neil', { limit: 5, offset: 0 })).total).toBe(1);
        expect((await store.listProducts({ limit: 10, offset: 0, search: "'; DROP" })).items.map((item) => item.product_id)).toEqual([productId]);
        expect((await store.productsByIds([productId, '日本語-商品'])).size).toBe(2);
      });
    });

    describe('dead letters', () => {
      it('keeps payload, reason and origin, counts repeats of one event id, and deletes on request', async () => {
        await store.addDeadLetters([
          { payload: { raw: HOSTILE, n: 1 }, reason: 'lines.0.quantity: must not be zero', origin: 'http', event_id: 'bad-1' },
          { payload: 'not json at all', reason: HOSTILE, origin: 'import:online-retail.csv' },
        ]);
        await store.addDeadLetters([{ payload: { raw: 'second try' }, reason: 'still bad', origin: 'consumer', event_id: 'bad-1' }]);
        const page = await store.listDeadLetters({ limit: 10, offset: 0 });
        expect(page.total).toBe(2);
        const repeated = page.items.find((letter) => letter.event_id === 'bad-1');
        expect(repeated).toMatchObject({ payload: { raw: 'second try' }, reason: 'still bad', origin: 'consumer', attempts: 2 });
        expect(repeated && repeated.last_seen >= repeated.first_seen).toBe(true);
        const plain = page.items.find((letter) => letter.event_id === undefined);
        expect(plain).toMatchObject({ payload: 'not json at all', reason: HOSTILE, origin: 'import:online-retail.csv', attempts: 1 });
        expect(await store.getDeadLetter(plain?.id ?? -1)).toEqual(plain);
        await store.deleteDeadLetter(plain?.id ?? -1);
        expect(await store.getDeadLetter(plain?.id ?? -1)).toBeUndefined();
        expect((await store.listDeadLetters({ limit: 10, offset: 0 })).total).toBe(1);
      });

      it('pages dead letters newest first', async () => {
        for (const index of [1, 2, 3]) await store.addDeadLetters([{ payload: index, reason: `reason ${index}`, origin: 'http' }]);
        const page = await store.listDeadLetters({ limit: 2, offset: 0 });
        expect(page.items.map((letter) => letter.payload)).toEqual([3, 2]);
        expect((await store.listDeadLetters({ limit: 2, offset: 2 })).items.map((letter) => letter.payload)).toEqual([1]);
      });
    });

    describe('job runs', () => {
      it('records a run from start to finish with its outputs, and lists runs newest first, by job', async () => {
        const run = await store.startJobRun('weekly-report', '2011-12-04T23:00:00Z', 1);
        expect(run).toMatchObject({ job: 'weekly-report', scheduled_for: '2011-12-04T23:00:00Z', status: 'running', attempt: 1,
          ended_at: null, error: null, outputs: {} });
        const finished = await store.finishJobRun(run.id, 'succeeded', null, { pdf: 'archive/reports/x/Sales_Report.pdf', orders: 1234 });
        expect(finished).toMatchObject({ id: run.id, status: 'succeeded', outputs: { pdf: 'archive/reports/x/Sales_Report.pdf', orders: 1234 } });
        expect(finished.ended_at).not.toBeNull();

        const failed = await store.startJobRun('inbox', null, 2);
        await store.finishJobRun(failed.id, 'failed', `inbox failed due to ${HOSTILE}`, {});
        const all = await store.listJobRuns({ limit: 10, offset: 0 });
        expect(all.total).toBe(2);
        expect(all.items.map((item) => item.job)).toEqual(['inbox', 'weekly-report']);
        expect(all.items[0]).toMatchObject({ status: 'failed', error: `inbox failed due to ${HOSTILE}`, attempt: 2, scheduled_for: null });
        const reports = await store.listJobRuns({ job: 'weekly-report', limit: 10, offset: 0 });
        expect(reports.items.map((item) => item.id)).toEqual([run.id]);
        expect(reports.total).toBe(1);
      });

      it('refuses to finish a run that does not exist', async () => {
        await expect(store.finishJobRun(987654, 'succeeded', null, {})).rejects.toThrow(/987654/);
      });
    });

    describe('notifications', () => {
      it('adds notifications and lists them newest first', async () => {
        const first = await store.addNotification({ job: 'inbox', level: 'error', message: `inbox failed due to ${HOSTILE}`, deliveries: { log: 'sent' } });
        expect(first).toMatchObject({ job: 'inbox', level: 'error', message: `inbox failed due to ${HOSTILE}`, link: null, deliveries: { log: 'sent' } });
        expect(Number.isNaN(Date.parse(first.created_at))).toBe(false);
        await store.addNotification({ job: null, level: 'info', message: 'weekly-report ran successfully', link: 'public/Sales_Report.pdf',
          deliveries: { log: 'sent', email: 'failed: connection refused' } });
        const page = await store.listNotifications({ limit: 1, offset: 0 });
        expect(page.total).toBe(2);
        expect(page.items[0]).toMatchObject({ job: null, link: 'public/Sales_Report.pdf', deliveries: { email: 'failed: connection refused' } });
        expect((await store.listNotifications({ limit: 1, offset: 1 })).items[0].id).toBe(first.id);
      });
    });

    describe('ingested files', () => {
      it('records a file by content hash and updates it when the same content is loaded again', async () => {
        const sha256 = 'a'.repeat(64);
        expect(await store.getIngestedFile(sha256)).toBeUndefined();
        await store.recordIngestedFile({ sha256, name: `it's "x".csv`, format: 'online-retail', rows: 10, events: 2, failed_rows: 1, status: 'failed' });
        expect(await store.getIngestedFile(sha256)).toMatchObject({ name: `it's "x".csv`, rows: 10, events: 2, failed_rows: 1, status: 'failed' });
        await store.recordIngestedFile({ sha256, name: 'fixed.csv', format: 'online-retail', rows: 10, events: 3, failed_rows: 0, status: 'loaded' });
        await reopen();
        const file = await store.getIngestedFile(sha256);
        expect(file).toMatchObject({ sha256, name: 'fixed.csv', events: 3, failed_rows: 0, status: 'loaded' });
        expect(Number.isNaN(Date.parse(file?.loaded_at ?? ''))).toBe(false);
      });
    });

    describe('attention', () => {
      const window = (start: string, end: string) => (productId: string, views: number, purchases = 0) =>
        ({ product_id: productId, window_start: start, window_end: end, views, purchases });
      const morning = window('2011-11-14T04:00:00.000Z', '2011-11-14T08:00:00.000Z');
      const noon = window('2011-11-14T08:00:00.000Z', '2011-11-14T12:00:00.000Z');

      it('returns the top list of the most recent window, by views descending', async () => {
        await store.saveAttention([morning('A', 50), morning('B', 3)], [morning('A', 50), morning('B', 3)]);
        expect((await store.latestHighAttention()).map((row) => row.product_id)).toEqual(['A', 'B']);
        await store.saveAttention([noon('B', 7, 1), noon('C', 9), noon(HOSTILE, 8)], [noon('B', 7, 1), noon('C', 9), noon(HOSTILE, 8)]);
        expect(await store.latestHighAttention()).toEqual([noon('C', 9), noon(HOSTILE, 8), noon('B', 7, 1)]);
      });

      it('replaces the lists of a window saved again', async () => {
        await store.saveAttention([noon('A', 1), noon('B', 2)], [noon('B', 2), noon('A', 1)]);
        await store.saveAttention([noon('C', 4)], [noon('C', 4)]);
        await reopen();
        expect(await store.latestHighAttention()).toEqual([noon('C', 4)]);
      });
    });
  });
}
