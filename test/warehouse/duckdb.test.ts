import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbWarehouse } from '../../src/warehouse/duckdb.js';
import { contractFacts, describeWarehouseContract, orderFacts } from '../contract/warehouse.contract.js';

const directories: string[] = [];
async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'storepulse-duckdb-'));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

describeWarehouseContract('duckdb', async () =>
  openDuckDbWarehouse({ file: path.join(await temporaryDirectory(), 'warehouse.duckdb'), timeZone: 'UTC' }));

describeWarehouseContract('duckdb, bulk loads inserting every 5 rows', async () =>
  openDuckDbWarehouse({ file: path.join(await temporaryDirectory(), 'warehouse.duckdb'), timeZone: 'UTC', bulkInsertRows: 5 }));

describe('duckdb warehouse', () => {
  it('keeps facts and applied ids across reopening the file', async () => {
    const file = path.join(await temporaryDirectory(), 'warehouse.duckdb');
    const first = await openDuckDbWarehouse({ file, timeZone: 'Europe/London' });
    await first.appendFacts(contractFacts());
    await first.close();
    const second = await openDuckDbWarehouse({ file, timeZone: 'Europe/London' });
    expect(await second.appendFacts(contractFacts())).toEqual({ applied: 0, skipped: 22 });
    const range = { fromMs: Date.parse('2024-03-01T00:00:00Z'), toMs: Date.parse('2024-03-03T00:00:00Z'), limit: 10 };
    expect((await second.runKpi('totals', range)).rows[0]).toMatchObject({ orders: 5, net_revenue: 84 });
    await second.close();
    await expect(second.countries()).rejects.toThrow(/closed/);
  });

  it('writes Parquet that reads back with UTC instants and exact money', async () => {
    const directory = await temporaryDirectory();
    const warehouse = await openDuckDbWarehouse({ file: path.join(directory, 'warehouse.duckdb'), timeZone: 'UTC' });
    await warehouse.appendFacts(contractFacts());
    const file = path.join(directory, 'lines.parquet');
    expect(await warehouse.exportFacts('order_lines', { country: 'Germany' }, file, 'parquet')).toBe(2);
    await warehouse.close();
    const reader = await DuckDBInstance.create(':memory:');
    const connection = await reader.connect();
    const rows = (await connection.runAndReadAll(
      `SELECT epoch_ms(ts) AS ms, amount::VARCHAR AS amount FROM read_parquet('${file}') ORDER BY line_no`,
    )).getRowObjectsJson();
    expect(rows).toEqual([{ ms: String(Date.parse('2024-03-01T15:30:00Z')), amount: '5.0000' }, { ms: String(Date.parse('2024-03-01T15:30:00Z')), amount: '40.0000' }]);
    connection.closeSync();
    reader.closeSync();
  });

  it('refuses an unknown time zone with the variable to fix', async () => {
    await expect(openDuckDbWarehouse({ file: path.join(await temporaryDirectory(), 'w.duckdb'), timeZone: 'Mars/Olympus' }))
      .rejects.toThrow(/STOREPULSE_TIMEZONE/);
  });

  it('keeps one row per distinct line product across batches, and a renamed product as a second one', async () => {
    const file = path.join(await temporaryDirectory(), 'warehouse.duckdb');
    const warehouse = await openDuckDbWarehouse({ file, timeZone: 'UTC' });
    const sale = (id: string, name: string) => orderFacts({ id, ts: '2024-03-05T10:00:00Z', customer: null, country: 'France', seller: null, lines: [['P1', name, 'Kitchen', 'product', 1, '2.50', '2.50']] });
    await warehouse.appendFacts({ orders: [sale('S1', 'Mug')], views: [], cartAdds: [], probes: [] });
    const bulk = await warehouse.openBulkLoad();
    await bulk.append({ orders: [sale('S2', 'Mug'), sale('S3', 'Mug, large')], views: [], cartAdds: [], probes: [] });
    await bulk.finish();
    await warehouse.close();
    const rows = await readRows(file, `
      SELECT (SELECT count(*) FROM line_products)::INTEGER AS products, order_id, product_name
      FROM order_lines ORDER BY order_id`);
    expect(rows).toEqual([
      { products: 2, order_id: 'S1', product_name: 'Mug' },
      { products: 2, order_id: 'S2', product_name: 'Mug' },
      { products: 2, order_id: 'S3', product_name: 'Mug, large' },
    ]);
  });

  it('moves the wide order_lines table of an older file into the current layout once, keeping every line', async () => {
    const file = path.join(await temporaryDirectory(), 'warehouse.duckdb');
    const current = await openDuckDbWarehouse({ file, timeZone: 'UTC' });
    await current.appendFacts(contractFacts());
    await current.close();
    const linesQuery = 'SELECT * FROM order_lines ORDER BY event_id, line_no';
    const lines = await readRows(file, linesQuery);
    // The layout of older files: order_lines a table of its own, holding the same columns.
    await readRows(file, `
      CREATE TABLE wide AS SELECT * FROM order_lines;
      DROP VIEW order_lines; DROP TABLE order_line_rows; DROP TABLE order_heads; DROP TABLE line_products;
      ALTER TABLE wide RENAME TO order_lines;
      SELECT 1`);

    const migrated = await openDuckDbWarehouse({ file, timeZone: 'UTC' });
    expect(await migrated.appendFacts(contractFacts())).toEqual({ applied: 0, skipped: 22 });
    const o8 = orderFacts({ id: 'O8', ts: '2024-03-02T10:00:00Z', customer: 'c1', country: 'France', seller: 's1', lines: [['P1', 'Mug', 'Kitchen', 'product', 2, '2.50', '5.00']] });
    expect(await migrated.appendFacts({ orders: [o8], views: [], cartAdds: [], probes: [] })).toEqual({ applied: 1, skipped: 0 });
    const range = { fromMs: Date.parse('2024-03-01T00:00:00Z'), toMs: Date.parse('2024-03-03T00:00:00Z'), limit: 10 };
    expect((await migrated.runKpi('totals', range)).rows[0]).toMatchObject({ orders: 6, net_revenue: 89 });
    await migrated.close();
    expect(await readRows(file, `${linesQuery.replace('ORDER BY', "WHERE event_id <> 'e-O8' ORDER BY")}`)).toEqual(lines);
    expect(await readRows(file, "SELECT table_type FROM information_schema.tables WHERE table_name = 'order_lines'")).toEqual([{ table_type: 'VIEW' }]);
  });
});

/** Runs `sql` on the file (the last statement's rows, as JSON-ready objects). */
async function readRows(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
