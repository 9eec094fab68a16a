import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbWarehouse } from '../../src/warehouse/duckdb.js';
import { contractFacts, describeWarehouseContract } from '../contract/warehouse.contract.js';

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
});
