/**
 * The report archive API (read key) and the public bucket (no key), on a real app and server:
 * generate, list, download, publish only the latest period, refuse bad dates and path traversal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/web/server.js';
import { publicRoutes, reportRoutes } from '../../src/web/reports.js';
import { sellerFileName } from '../../src/reports/publish.js';
import { READ_KEY, WRITE_KEY, openTestApp, readHeaders, type TestApp } from '../helpers/app.js';

const ODD_SELLER = 'Łukasz/../Crafts ü';

const EVENTS = [
  { id: 'prod-mug', type: 'product', ts: '2011-11-01T00:00:00Z', product_id: 'MUG', name: 'Blue mug', price: '2.50', currency: 'GBP', seller_id: 'anna' },
  { id: 'prod-vase', type: 'product', ts: '2011-11-01T00:00:00Z', product_id: 'VASE', name: 'Tall vase', price: '9.00', currency: 'GBP', seller_id: ODD_SELLER },
  { id: 'o1', type: 'order', ts: '2011-11-15T10:00:00Z', order_id: 'o1', currency: 'GBP', lines: [{ product_id: 'MUG', quantity: 3, unit_price: '2.50' }] },
  { id: 'o2', type: 'order', ts: '2011-11-16T10:00:00Z', order_id: 'o2', currency: 'GBP', lines: [{ product_id: 'VASE', quantity: 1, unit_price: '9.00' }] },
  { id: 'o3', type: 'order', ts: '2011-11-23T10:00:00Z', order_id: 'o3', currency: 'GBP', lines: [{ product_id: 'MUG', quantity: 1, unit_price: '2.50' }] },
];

let test: TestApp;
let server: FastifyInstance;

beforeAll(async () => {
  test = await openTestApp();
  test.app.baseUrl = 'http://shop.example';
  server = await buildServer({
    app: test.app,
    keys: { writeKey: WRITE_KEY, readKey: READ_KEY, generated: false },
    apiPlugins: [async (api) => api.register(reportRoutes, { app: test.app })],
    openPlugins: [async (open) => open.register(publicRoutes, { app: test.app })],
  });
  expect((await test.app.pipeline.processRaw(EVENTS, 'test')).deadLettered).toBe(0);
  await test.app.objects.put('exports', 'queries/secret.csv', 'date,amount\n');
});

afterAll(async () => {
  await server.close();
  await test.close();
});

const generate = (body: unknown, headers: Record<string, string> = readHeaders) =>
  server.inject({ method: 'POST', url: '/api/reports', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

describe('POST /api/reports', () => {
  it('generates the shop report and one per seller, archives and publishes them, with links', async () => {
    const response = await generate({ from: '2011-11-14', to: '2011-11-21' });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      period: '2011-11-14_2011-11-21', orders: 2, net_revenue: 16.5, published: 'http://shop.example/public/Sales_Report.pdf',
      shop: { key: 'reports/2011-11-14_2011-11-21/Sales_Report.pdf', url: 'http://shop.example/api/reports/2011-11-14_2011-11-21/Sales_Report.pdf' },
    });
    expect(body.sellers.map((entry: { seller: string }) => entry.seller)).toEqual([ODD_SELLER, 'anna']);
    expect(body.sellers[1].key).toBe('reports/2011-11-14_2011-11-21/sellers/anna.pdf');
    expect(body.sellers[0].key).toBe(`reports/2011-11-14_2011-11-21/sellers/${sellerFileName(ODD_SELLER)}.pdf`);
    expect(sellerFileName(ODD_SELLER)).toMatch(/^Łukasz_\.\._Crafts_ü~[0-9a-f]{8}$/);
  });

  it('answers 400 for bad or missing dates, and 401 without the read key', async () => {
    for (const body of [{ from: '2011-11-21', to: '2011-11-14' }, { from: '14/11/2011', to: '2011-11-21' }, { to: '2011-11-21' }, 'nonsense']) {
      const response = await generate(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().message).toMatch(/from|to|body/);
    }
    expect((await generate({ from: '2011-11-14', to: '2011-11-21' }, {})).statusCode).toBe(401);
  });

  it('publishes only the latest period: a back-filled older week leaves public/ alone', async () => {
    const later = await generate({ from: '2011-11-21', to: '2011-11-28', sellers: false });
    expect(later.json()).toMatchObject({ orders: 1, published: 'http://shop.example/public/Sales_Report.pdf', sellers: [] });
    const older = await generate({ from: '2011-11-07', to: '2011-11-14' });
    expect(older.statusCode).toBe(201);
    expect(older.json()).toMatchObject({ orders: 0, published: null, sellers: [] });
    const published = await server.inject({ url: '/public/Sales_Report.pdf' });
    const latest = await server.inject({ url: '/api/reports/2011-11-21_2011-11-28/Sales_Report.pdf', headers: readHeaders });
    expect(published.rawPayload.equals(latest.rawPayload)).toBe(true);
  });

  it("generates one seller's report alone", async () => {
    const response = await generate({ from: '2011-11-14', to: '2011-11-21', seller: 'anna' });
    expect(response.json()).toMatchObject({ shop: null, orders: 1, net_revenue: 7.5, published: null, sellers: [{ seller: 'anna' }] });
  });
});

describe('GET /api/reports', () => {
  it('lists the archive by period, newest first, with links to each file', async () => {
    const response = await server.inject({ url: '/api/reports', headers: readHeaders });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.latest.url).toBe('http://shop.example/public/Sales_Report.pdf');
    expect(body.periods.map((period: { period: string }) => period.period)).toEqual(['2011-11-21_2011-11-28', '2011-11-14_2011-11-21', '2011-11-07_2011-11-14']);
    const week = body.periods[1];
    expect(week).toMatchObject({ from: '2011-11-14', to: '2011-11-21', shop: { url: 'http://shop.example/api/reports/2011-11-14_2011-11-21/Sales_Report.pdf' } });
    expect(week.sellers.map((seller: { file: string }) => seller.file)).toEqual(expect.arrayContaining(['anna.pdf', `${sellerFileName(ODD_SELLER)}.pdf`]));
    for (const seller of week.sellers as { url: string }[]) {
      const file = await server.inject({ url: new URL(seller.url).pathname, headers: readHeaders });
      expect(file.statusCode, seller.url).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect((await server.inject({ url: '/api/reports' })).statusCode).toBe(401);
  });

  it('serves archived reports with the read key only, and 404 for what is not there', async () => {
    const url = '/api/reports/2011-11-14_2011-11-21/Sales_Report.pdf';
    expect((await server.inject({ url })).statusCode).toBe(401);
    expect((await server.inject({ url: '/api/reports/2011-11-14_2011-11-21/sellers/anna.pdf' })).statusCode).toBe(401);
    expect((await server.inject({ url: `${url}?key=${READ_KEY}` })).statusCode).toBe(200);
    expect((await server.inject({ url: '/api/reports/2011-01-03_2011-01-10/Sales_Report.pdf', headers: readHeaders })).statusCode).toBe(404);
    expect((await server.inject({ url: '/api/reports/2011-11-14_2011-11-21/sellers/nobody.pdf', headers: readHeaders })).statusCode).toBe(404);
  });
});

describe('GET /public/*', () => {
  it('serves the latest shop report without any key', async () => {
    const response = await server.inject({ url: '/public/Sales_Report.pdf' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await server.inject({ method: 'HEAD', url: '/public/Sales_Report.pdf' })).statusCode).toBe(200);
  });

  it('answers 404 for a missing file', async () => {
    expect((await server.inject({ url: '/public/Nothing_Here.pdf' })).statusCode).toBe(404);
    expect((await server.inject({ url: '/public/reports' })).statusCode).toBe(404);
  });

  it.each([
    '/public/../exports/queries/secret.csv',
    '/public/%2e%2e/exports/queries/secret.csv',
    '/public/..%2fexports%2fqueries%2fsecret.csv',
    '/public/%2E%2E%2F%2E%2E%2Fkeys.json',
    '/public/./Sales_Report.pdf/../../keys.json',
    '/public//etc/passwd',
    '/public/%2fetc%2fpasswd',
    '/public/..%5c..%5ckeys.json',
    '/public/Sales_Report.pdf%00.txt',
    '/api/reports/..%2f..%2fexports/Sales_Report.pdf',
    '/api/reports/2011-11-14_2011-11-21/sellers/..%2f..%2f..%2fexports%2fqueries%2fsecret.csv',
  ])('never serves a file outside its folder: %s', async (url) => {
    for (const headers of [{}, readHeaders]) {
      const response = await server.inject({ url, headers });
      expect([400, 401, 404], `${url} answered ${response.statusCode}`).toContain(response.statusCode);
      expect(response.body).not.toContain('date,amount');
      expect(response.body).not.toContain(READ_KEY);
    }
  });
});
