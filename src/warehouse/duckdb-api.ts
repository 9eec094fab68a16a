/** @duckdb/node-api, loaded after its allocator is configured (duckdb-allocator.ts): import DuckDB values from here. */
import './duckdb-allocator.js';

export * from '@duckdb/node-api';
/** The C API beneath it, for what the package does value by value and a caller can do in one call (duckdb-stage-lines.ts). */
export { default as duckdbBindings } from '@duckdb/node-bindings';
