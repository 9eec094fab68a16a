/**
 * Bulk loads (file imports) for DuckDB. Batches are staged on a connection of the load's own (its
 * temporary staging tables are private to it, so staging runs beside the other warehouse work) and
 * inserted in transactions of at least two row groups: DuckDB writes whole row groups of a large
 * transaction straight to the database file, compressed, instead of through the WAL, and a
 * transaction of fewer rows costs a WAL write of every row and, past the checkpoint threshold, a
 * checkpoint. Measured on the online-retail file: 1.42 s of warehouse time in transactions of
 * 110,000 lines, 1.07 s in transactions of 250,000.
 *
 * Idempotent by event id like appendFacts: an event already in the warehouse, or staged earlier in
 * the same load, is not written again. The inserts run on the warehouse's queue, so they never
 * interleave with appendFacts of the consumer.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { FactBatch, WarehouseBulkLoad } from './port.js';
import { DUCKDB_CLEAR_STAGING, DUCKDB_STAGING_TABLES, insertStagedOrders } from './duckdb-schema.js';
import { LineNumbering, lineCount, stageOrders } from './duckdb-stage-lines.js';
import { appendCartAdd, appendProbe, appendView, stageIds, stageRows } from './duckdb-append.js';
import { StagingAppenders } from './duckdb-staging-appenders.js';
import { SerialQueue } from './serial-queue.js';

/** Two DuckDB row groups (122,880 rows each). */
export const BULK_INSERT_ROWS = 2 * 122_880;

// Staging holds each event of the load once; events committed before (a re-import, or the same
// event through the consumer) are left out by the anti-joins.
const INSERT_NEW_STAGED_FACTS = `
CREATE OR REPLACE TEMP TABLE stage_new_ids AS SELECT event_id FROM stage_event_ids ANTI JOIN applied_events USING (event_id);
${insertStagedOrders('o.event_id IN (SELECT event_id FROM stage_new_ids)')}
INSERT INTO views SELECT * FROM stage_views SEMI JOIN stage_new_ids USING (event_id);
INSERT INTO cart_adds SELECT * FROM stage_cart_adds SEMI JOIN stage_new_ids USING (event_id);
INSERT INTO probes SELECT * FROM stage_probes SEMI JOIN stage_new_ids USING (event_id);
INSERT INTO applied_events SELECT event_id FROM stage_new_ids;
`;

export async function openDuckDbBulkLoad(instance: DuckDBInstance, warehouseQueue: SerialQueue, insertRows = BULK_INSERT_ROWS): Promise<WarehouseBulkLoad> {
  const slots = await Promise.all([openSlot(instance), openSlot(instance)]);
  return new DuckDbBulkLoad(slots, warehouseQueue, insertRows);
}

/**
 * A connection with its own staging tables, and what it has staged since its last insert. Two
 * slots take turns: one inserts while the other stages, so the import does not wait for inserts.
 */
interface StagingSlot {
  connection: DuckDBConnection;
  /** Open from the slot's first batch to its insert. */
  staging: StagingAppenders;
  staged: Set<string>;
  stagedRows: number;
  numbering: LineNumbering;
  /** The insert in progress, if any; it clears the slot when it is done. */
  inserting?: Promise<void>;
}

async function openSlot(instance: DuckDBInstance): Promise<StagingSlot> {
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run(DUCKDB_STAGING_TABLES);
  return { connection, staging: new StagingAppenders(connection), staged: new Set(), stagedRows: 0, numbering: new LineNumbering() };
}

class DuckDbBulkLoad implements WarehouseBulkLoad {
  private readonly ownQueue = new SerialQueue();
  private current = 0;
  private failure: Error | undefined;
  private ended = false;

  constructor(private readonly slots: StagingSlot[], private readonly warehouseQueue: SerialQueue, private readonly insertRows: number) {}

  append(batch: FactBatch): Promise<void> {
    return this.ownQueue.run(async () => {
      this.checkUsable('append');
      const slot = this.slots[this.current];
      try {
        await this.stage(slot, batch);
      } catch (error) {
        // Part of the batch may be staged (its ids without its facts): the load cannot go on.
        this.failure = new Error(`warehouse: bulk load stopped, nothing staged since its last insert is written: ${(error as Error).message}`);
        throw this.failure;
      }
      if (slot.stagedRows < this.insertRows) return;
      const next = this.slots[(this.current + 1) % this.slots.length];
      // While the next slot is still inserting what it staged before, this one stages on (measured:
      // waiting idled the import's main thread ~200 ms), up to twice its size, which bounds memory.
      if (next.inserting && slot.stagedRows < 2 * this.insertRows) return;
      this.startInsert(slot);
      this.current = (this.current + 1) % this.slots.length;
      await next.inserting;
      this.checkUsable('append');
    });
  }

  finish(): Promise<void> {
    return this.ownQueue.run(async () => {
      try {
        this.checkUsable('finish');
        this.startInsert(this.slots[this.current]);
        await Promise.all(this.slots.map((slot) => slot.inserting));
        this.checkUsable('finish');
      } finally {
        await this.end();
      }
    });
  }

  abort(): Promise<void> {
    return this.ownQueue.run(() => this.end());
  }

  private async stage(slot: StagingSlot, batch: FactBatch): Promise<void> {
    const isNew = <T extends { event_id: string }>(facts: T[]) => facts.filter((fact) => !this.slots.some((any) => any.staged.has(fact.event_id)));
    const orders = isNew(batch.orders);
    const views = isNew(batch.views);
    const cartAdds = isNew(batch.cartAdds);
    const probes = isNew(batch.probes);
    const newIds = new Set<string>();
    for (const facts of [orders, views, cartAdds, probes]) for (const fact of facts) newIds.add(fact.event_id);
    if (newIds.size === 0) return;
    await stageIds(slot.staging, 'stage_event_ids', newIds);
    await stageOrders(slot.staging, orders, slot.numbering);
    await stageRows(slot.staging, 'stage_views', views, appendView);
    await stageRows(slot.staging, 'stage_cart_adds', cartAdds, appendCartAdd);
    await stageRows(slot.staging, 'stage_probes', probes, appendProbe);
    for (const id of newIds) slot.staged.add(id);
    slot.stagedRows += lineCount(orders) + views.length + cartAdds.length + probes.length;
  }

  /** Inserts the slot's staged facts in the background; a failure fails the load's next call. */
  private startInsert(slot: StagingSlot): void {
    if (slot.staged.size === 0) return;
    slot.inserting = this.insertStaged(slot)
      .catch((error: unknown) => { this.failure ??= error as Error; })
      .finally(() => { slot.inserting = undefined; });
  }

  private async insertStaged(slot: StagingSlot): Promise<void> {
    slot.staging.close();
    await this.warehouseQueue.run(async () => {
      try {
        // Begin, insert and commit in one call: each call's result waits for a turn of the main
        // thread, which the import keeps busy (see duckdb-append.ts).
        await slot.connection.run(`BEGIN TRANSACTION; ${INSERT_NEW_STAGED_FACTS} COMMIT`);
      } catch (error) {
        await slot.connection.run('ROLLBACK').catch(() => {}); // none is open if BEGIN itself failed
        throw new Error(`warehouse: bulk load wrote nothing of ${slot.staged.size} events: ${(error as Error).message}`);
      }
    });
    await slot.connection.run(DUCKDB_CLEAR_STAGING);
    slot.staged = new Set();
    slot.stagedRows = 0;
    slot.numbering = new LineNumbering();
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await Promise.all(this.slots.map((slot) => slot.inserting));
    for (const slot of this.slots) {
      slot.staging.discard(); // what an aborted load staged since its last insert
      slot.connection.closeSync();
    }
  }

  private checkUsable(operation: string): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error(`warehouse: bulk load ${operation} after it ended`);
  }
}
