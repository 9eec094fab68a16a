/** User queries in the SQLite store (DESIGN §6 "query"): one row per query, replaced as it moves on. */
import type Database from 'better-sqlite3';
import type { Page, QueryRecord, QueryStatus, Store } from './port.js';

type QueryMethods = Pick<Store, 'saveQuery' | 'getQuery' | 'listQueries'>;

interface QueryRow {
  id: string;
  range_from: string;
  range_to: string;
  country: string;
  status: QueryStatus;
  created_at: string;
  finished_at: string | null;
  rows: number | null;
  object_key: string | null;
  error: string | null;
}

const STATUSES: readonly QueryStatus[] = ['pending', 'running', 'done', 'failed'];

function toQueryRecord(row: QueryRow): QueryRecord {
  return {
    id: row.id, from: row.range_from, to: row.range_to, country: row.country, status: row.status,
    created_at: row.created_at, finished_at: row.finished_at, rows: row.rows, object_key: row.object_key, error: row.error,
  };
}

function checkQuery(query: QueryRecord): void {
  if (typeof query.id !== 'string' || query.id.length === 0) throw new TypeError('saveQuery: the query needs a non-empty id');
  if (!STATUSES.includes(query.status)) {
    throw new TypeError(`saveQuery: query ${query.id} has status "${String(query.status)}"; use one of ${STATUSES.join(', ')}`);
  }
}

export function createQueryRecords(db: Database.Database, checkOpen: (operation: string) => void,
  checkPaging: (options: { limit: number; offset: number }, what: string) => void): QueryMethods {
  const upsert = db.prepare(`
    INSERT INTO queries (id, range_from, range_to, country, status, created_at, finished_at, rows, object_key, error)
    VALUES (@id, @range_from, @range_to, @country, @status, @created_at, @finished_at, @rows, @object_key, @error)
    ON CONFLICT (id) DO UPDATE SET range_from = excluded.range_from, range_to = excluded.range_to, country = excluded.country,
      status = excluded.status, created_at = excluded.created_at, finished_at = excluded.finished_at, rows = excluded.rows,
      object_key = excluded.object_key, error = excluded.error`);
  const byId = db.prepare('SELECT * FROM queries WHERE id = ?');
  const filter = 'WHERE (@status IS NULL OR status = @status)';
  const pageOf = db.prepare(`SELECT * FROM queries ${filter} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`);
  const countOf = db.prepare(`SELECT count(*) FROM queries ${filter}`).pluck();

  return {
    async saveQuery(query) {
      checkOpen('saveQuery');
      checkQuery(query);
      upsert.run({
        id: query.id, range_from: query.from, range_to: query.to, country: query.country, status: query.status,
        created_at: query.created_at, finished_at: query.finished_at, rows: query.rows, object_key: query.object_key, error: query.error,
      });
    },
    async getQuery(id) {
      checkOpen('getQuery');
      const row = byId.get(id) as QueryRow | undefined;
      return row && toQueryRecord(row);
    },
    async listQueries(options) {
      checkOpen('listQueries');
      checkPaging(options, 'listQueries');
      const status = options.status ?? null;
      const rows = pageOf.all({ status, limit: options.limit, offset: options.offset }) as QueryRow[];
      const page: Page<QueryRecord> = { items: rows.map(toQueryRecord), total: countOf.get({ status }) as number, limit: options.limit, offset: options.offset };
      return page;
    },
  };
}
