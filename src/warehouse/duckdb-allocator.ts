/**
 * Tells DuckDB's allocator (jemalloc) to give freed memory back to the system after 100 ms instead
 * of keeping it for reuse for 10 s. An online-retail import's inserts free a lot as they go; its
 * peak RSS (4–7 runs each, same import time): 445–490 MB with the default, 408–452 MB with 100 ms,
 * 374–401 MB with 0 ms. Returning memory costs the consumer's drain of the event log: ~5% at
 * 100 ms, ~12% at 0 ms. jemalloc reads the variable when DuckDB's library loads, so duckdb-api.ts
 * imports this module before the package; a value set in the environment wins.
 */
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:100,muzzy_decay_ms:0';
