/**
 * appendFacts for DuckDB, in one transaction: find which of the batch's event ids were applied
 * before (only those the caller says may have been: looking one up scans every id ever applied),
 * stage the facts of the others with the Appender, insert them, and record their ids. A replayed
 * event id adds nothing, and a replayed batch costs little more than its ids.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { AppendFactsOptions, AppendFactsResult, CartAddFact, FactBatch, ProbeFact, ViewFact } from './port.js';
import { DUCKDB_CLEAR_STAGING, insertStagedOrders } from './duckdb-schema.js';
import { appendText, stageOrders } from './duckdb-stage-lines.js';
import { StagingAppenders } from './duckdb-staging-appenders.js';

export async function appendFactsToDuckDb(connection: DuckDBConnection, batch: FactBatch, options: AppendFactsOptions = {}): Promise<AppendFactsResult> {
  const batchIds = eventIdsOf(batch);
  if (batchIds.size === 0) return { applied: 0, skipped: 0 };
  const { mayBeWritten } = options;
  const toLookUp = mayBeWritten ? [...batchIds].filter((id) => mayBeWritten.has(id)) : [...batchIds];
  const staging = new StagingAppenders(connection);
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(DUCKDB_CLEAR_STAGING);
    const appliedBefore = toLookUp.length > 0 ? await alreadyApplied(connection, staging, toLookUp) : new Set<string>();
    await stageIds(staging, 'stage_event_ids', [...batchIds].filter((id) => !appliedBefore.has(id)));
    const fresh = <T extends { event_id: string }>(facts: T[]) =>
      appliedBefore.size === 0 ? facts : facts.filter((fact) => !appliedBefore.has(fact.event_id));
    await stageOrders(staging, fresh(batch.orders));
    await stageRows(staging, 'stage_views', fresh(batch.views), appendView);
    await stageRows(staging, 'stage_cart_adds', fresh(batch.cartAdds), appendCartAdd);
    await stageRows(staging, 'stage_probes', fresh(batch.probes), appendProbe);
    staging.close();
    // Insert and commit in one call: an await resumes only when the main thread is free, and in a
    // bulk import it is busy parsing and writing the store in stretches of ~0.5 s, so a separate
    // COMMIT waited for one of those (measured: ~1.4 s of the main thread idle over the file).
    await connection.run(appliedBefore.size < batchIds.size ? `${INSERT_STAGED_FACTS}; COMMIT` : 'COMMIT');
    return { applied: batchIds.size - appliedBefore.size, skipped: appliedBefore.size };
  } catch (error) {
    staging.discard();
    await connection.run('ROLLBACK');
    throw new Error(`warehouse: appendFacts wrote nothing of a batch of ${batchIds.size} events: ${(error as Error).message}`);
  }
}

function eventIdsOf(batch: FactBatch): Set<string> {
  const ids = new Set<string>();
  for (const facts of [batch.orders, batch.views, batch.cartAdds, batch.probes]) {
    for (const fact of facts) ids.add(fact.event_id);
  }
  return ids;
}

/** Stages `ids` and closes `staging` (the caller discards it on failure) before the lookup reads them. */
async function alreadyApplied(connection: DuckDBConnection, staging: StagingAppenders, ids: string[]): Promise<Set<string>> {
  await stageIds(staging, 'stage_check_ids', ids);
  staging.close();
  const reader = await connection.runAndReadAll('SELECT event_id FROM stage_check_ids SEMI JOIN applied_events USING (event_id)');
  return new Set(reader.getRows().map((row) => String(row[0])));
}

/** Appends event ids to a one-column staging table. */
export async function stageIds(staging: StagingAppenders, table: string, ids: Iterable<string>): Promise<void> {
  const appender = await staging.appender(table);
  for (const id of ids) {
    appender.appendVarchar(id);
    appender.endRow();
  }
}

// Staging holds only facts and ids of events not applied before, each once (the same event twice in
// one flush is staged once).
const INSERT_STAGED_FACTS = `
${insertStagedOrders()}
INSERT INTO views SELECT * FROM stage_views;
INSERT INTO cart_adds SELECT * FROM stage_cart_adds;
INSERT INTO probes SELECT * FROM stage_probes;
INSERT INTO applied_events SELECT event_id FROM stage_event_ids;
`;

/** Stages single-row facts, each event once even when the batch repeats it. */
export async function stageRows<T extends { event_id: string }>(
  staging: StagingAppenders, table: string, rows: T[], appendRow: (appender: DuckDBAppender, row: T) => void,
): Promise<void> {
  if (rows.length === 0) return;
  const appender = await staging.appender(table);
  const staged = new Set<string>();
  for (const row of rows) {
    if (staged.has(row.event_id)) continue;
    staged.add(row.event_id);
    appendRow(appender, row);
    appender.endRow();
  }
}

export function appendView(appender: DuckDBAppender, view: ViewFact): void {
  appender.appendVarchar(view.event_id);
  appender.appendVarchar(view.ts);
  appender.appendVarchar(view.day);
  appender.appendVarchar(view.product_id);
  for (const value of [view.category, view.seller_id, view.session_id, view.customer_id, view.country, view.location]) {
    appendText(appender, value);
  }
}

export function appendCartAdd(appender: DuckDBAppender, cartAdd: CartAddFact): void {
  appender.appendVarchar(cartAdd.event_id);
  appender.appendVarchar(cartAdd.ts);
  appender.appendVarchar(cartAdd.day);
  appender.appendVarchar(cartAdd.product_id);
  for (const value of [cartAdd.category, cartAdd.seller_id, cartAdd.session_id]) appendText(appender, value);
  appender.appendInteger(cartAdd.quantity);
}

export function appendProbe(appender: DuckDBAppender, probe: ProbeFact): void {
  appender.appendVarchar(probe.event_id);
  appender.appendVarchar(probe.ts);
  appender.appendVarchar(probe.day);
  appender.appendVarchar(probe.location);
  appender.appendVarchar(probe.target);
  appender.appendBoolean(probe.ok);
  if (probe.status === null) appender.appendNull();
  else appender.appendInteger(probe.status);
  appender.appendDouble(probe.latency_ms);
}
