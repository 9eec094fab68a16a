/** @duckdb/node-api, loaded after its allocator is configured (duckdb-allocator.ts): import DuckDB values from here. */
import './duckdb-allocator.js';

export * from '@duckdb/node-api';
