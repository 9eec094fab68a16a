/** DuckDB's bare read_csv of the same file into a table: the floor the import is compared with. */
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const started = performance.now();
await connection.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}', header = true)`);
const seconds = (performance.now() - started) / 1000;
const rows = Number((await connection.runAndReadAll('SELECT count(*) AS n FROM raw')).getRowObjectsJson()[0].n);
connection.closeSync();
process.stdout.write(`${JSON.stringify({ seconds, rows })}\n`);
