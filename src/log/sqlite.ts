/**
 * The embedded event log (DESIGN §2): one SQLite file in WAL mode. One row of `log_entries` per
 * accepted batch, an id index that turns repeated client ids into duplicates, and per-consumer
 * positions. An entry's payload is the JSON array of the batch's new events, or (when `body_ids`
 * is set) the request body as received: serializing 100 orders again cost as much as parsing them,
 * while reading them back from the body costs a parse and a check on the consumer's side.
 *
 * Appends are written by a thread of their own (sqlite-writer.ts); reads and acknowledgements use
 * this connection.
 *
 * Durability: append resolves only after the COMMIT of the transaction that holds its entry. In WAL mode a committed
 * transaction survives a killed process with synchronous=NORMAL; synchronous=FULL also survives
 * power loss (one fsync per commit).
 */
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import type { StorepulseEvent } from '../events/schemas.js';
import { eventsFromBody } from '../events/request-body.js';
import type { AppendOptions, AppendResult, EventLog, LogEntry } from './port.js';
import { DEFAULT_MAX_WAL_FRAMES, startLogWriter, type LogWriter, type WriterBatch, type WriterResult } from './sqlite-writer.js';

export interface SqliteLogOptions {
  file: string;
  /** `normal` (default) survives a killed process; `full` also survives power loss. */
  sync?: 'normal' | 'full';
  /** WAL frames past which the writer checkpoints itself (DEFAULT_MAX_WAL_FRAMES; tests use a small one). */
  maxWalFrames?: number;
  /** Starts the writer thread (startLogWriter; tests stand in a writer whose thread died). */
  startWriter?: typeof startLogWriter;
}

const SCHEMA_VERSION = 2;
/** How often a waiting reader checks whether another connection (another process) appended. */
const CROSS_PROCESS_POLL_MS = 100;

const SCHEMA_V1 = `
  CREATE TABLE IF NOT EXISTS log_entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    event_count INTEGER NOT NULL,
    payload TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS log_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS consumer_positions (
    consumer TEXT PRIMARY KEY,
    acked_through INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- Entries acknowledged ahead of acked_through (out of order); folded into it when contiguous.
  CREATE TABLE IF NOT EXISTS consumer_acks (
    consumer TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (consumer, seq)
  ) WITHOUT ROWID;
`;
// A JSON object { format, encoding, ids } when the payload is a request body (deflated when encoding is "deflate-raw"); ids holds null for an event not in the entry.
const SCHEMA_V2 = 'ALTER TABLE log_entries ADD COLUMN body_ids TEXT;';
const MIGRATIONS = [SCHEMA_V1, SCHEMA_V2];

/** Wakes readers of the same file in this process, whichever EventLog instance appended. */
const waitersByFile = new Map<string, Set<() => void>>();

function wakeWaiters(file: string): void {
  const waiters = waitersByFile.get(file);
  if (!waiters) return;
  waitersByFile.delete(file);
  for (const wake of waiters) wake();
}

function openDatabase(file: string, sync: 'normal' | 'full'): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`event log ${file} has schema version ${version}, newer than this program's ${SCHEMA_VERSION}: upgrade storepulse`);
  }
  if (version < SCHEMA_VERSION) {
    db.transaction(() => {
      for (const migration of MIGRATIONS.slice(version)) db.exec(migration);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  }
  return db;
}

function parsePosition(position: string): number {
  const seq = Number(position);
  if (!Number.isSafeInteger(seq) || seq <= 0) {
    throw new Error(`event log: position "${position}" is not a position this log returned; pass LogEntry.position from read()`);
  }
  return seq;
}

export function openSqliteLog(options: SqliteLogOptions): EventLog {
  const file = path.resolve(options.file);
  const db = openDatabase(file, options.sync ?? 'normal');
  // The writer threads start with the first append: a process that never appends (an import, a KPI
  // query from the command line) does without them (two V8 isolates, ~20 MB). A writer whose thread
  // died is replaced at the next append (the appends it had in hand were refused, to be retried).
  let writer: LogWriter | undefined;
  const startWriter = options.startWriter ?? startLogWriter;
  const startedWriter = (): LogWriter => {
    if (!writer || writer.stopped) {
      writer = startWriter(file, options.sync === 'full' ? 'FULL' : 'NORMAL', options.maxWalFrames ?? DEFAULT_MAX_WAL_FRAMES);
      // Checkpoints belong to the writer thread from now on; here they would stall the event loop in an acknowledgement's COMMIT.
      db.pragma('wal_autocheckpoint = 0');
    }
    return writer;
  };

  const selectAckedThrough = db.prepare('SELECT acked_through FROM consumer_positions WHERE consumer = ?').pluck();
  const selectUnacked = db.prepare(`
    SELECT seq, received_at, event_count, payload, body_ids FROM log_entries e
    WHERE seq > ? AND NOT EXISTS (SELECT 1 FROM consumer_acks a WHERE a.consumer = ? AND a.seq = e.seq)
    ORDER BY seq`);
  const countUnacked = db.prepare(`
    SELECT count(*) AS entries, coalesce(sum(event_count), 0) AS events FROM log_entries e
    WHERE seq > ? AND NOT EXISTS (SELECT 1 FROM consumer_acks a WHERE a.consumer = ? AND a.seq = e.seq)`);
  const insertAck = db.prepare('INSERT OR IGNORE INTO consumer_acks (consumer, seq) VALUES (?, ?)');
  const entryExists = db.prepare('SELECT 1 FROM log_entries WHERE seq = ?').pluck();
  const nextSeqAfter = db.prepare('SELECT min(seq) FROM log_entries WHERE seq > ?').pluck();
  const deleteAck = db.prepare('DELETE FROM consumer_acks WHERE consumer = ? AND seq = ?');
  const upsertPosition = db.prepare(`
    INSERT INTO consumer_positions (consumer, acked_through) VALUES (?, ?)
    ON CONFLICT (consumer) DO UPDATE SET acked_through = excluded.acked_through`);
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number;

  // Group commit: appends requested in the same event-loop turn (concurrent HTTP requests) go to the
  // writer as one message and share one transaction, so one commit (with sync=full one fsync) serves them all.
  let queued: PendingAppend[] = [];
  const flushAppends = () => {
    const group = queued;
    queued = [];
    if (group.length === 0) return;
    startedWriter().append(group.map(writerBatch)).then((results) => {
      const answers = group.map((pending, index) => appendResult(pending.events, results[index]));
      if (answers.some((answer) => answer.accepted.length > 0)) wakeWaiters(file);
      group.forEach((pending, index) => pending.resolve(answers[index]));
    }, (error: unknown) => {
      const reason = new Error(`event log ${file}: append of ${group.length} batch(es) failed: ${(error as Error).message}`, { cause: error });
      for (const pending of group) pending.reject(reason);
    });
  };

  const ackedThrough = (consumer: string): number => (selectAckedThrough.get(consumer) as number | undefined) ?? 0;

  const acknowledge = db.transaction((consumer: string, seqs: number[]) => {
    let through = ackedThrough(consumer);
    for (const seq of seqs) {
      // An acknowledgement of an entry that does not exist yet would silently skip it once it is appended.
      if (entryExists.get(seq) === undefined) {
        throw new Error(`event log ${file}: position "${seq}" holds no entry; acknowledge only positions read() returned`);
      }
      if (seq > through) insertAck.run(consumer, seq);
    }
    // Fold acknowledgements that are now contiguous into the position, so consumer_acks stays small.
    for (;;) {
      const next = nextSeqAfter.get(through) as number | null;
      if (next === null || deleteAck.run(consumer, next).changes === 0) break;
      through = next;
    }
    upsertPosition.run(consumer, through);
  });

  let closed = false;
  const ownWaiters = new Set<() => void>();
  const checkOpen = (operation: string) => {
    if (closed) throw new Error(`event log ${file}: ${operation} after close`);
  };

  return {
    async append(events, options?: AppendOptions) {
      checkOpen('append');
      if (events.length === 0) return { accepted: [], duplicates: [] };
      return new Promise<AppendResult>((resolve, reject) => {
        if (queued.length === 0) setImmediate(flushAppends);
        queued.push({ events, options, resolve, reject });
      });
    },

    async read(consumer, maxEvents) {
      checkOpen('read');
      const entries: LogEntry[] = [];
      let events = 0;
      for (const row of selectUnacked.iterate(ackedThrough(consumer), consumer) as Iterable<EntryRow>) {
        if (entries.length > 0 && events + row.event_count > maxEvents) break;
        entries.push({ position: String(row.seq), receivedAt: row.received_at, ...entryEvents(row) });
        events += row.event_count;
        if (events >= maxEvents) break;
      }
      return entries;
    },

    async ack(consumer, positions) {
      checkOpen('ack');
      if (positions.length === 0) return;
      acknowledge.immediate(consumer, positions.map(parsePosition));
    },

    waitForAppend(timeoutMs) {
      checkOpen('waitForAppend');
      return new Promise<void>((resolve) => {
        const startVersion = dataVersion();
        const done = () => {
          clearTimeout(timeout);
          clearInterval(poll);
          waitersByFile.get(file)?.delete(done);
          ownWaiters.delete(done);
          resolve();
        };
        const timeout = setTimeout(done, timeoutMs);
        const poll = setInterval(() => {
          if (closed || dataVersion() !== startVersion) done();
        }, Math.max(1, Math.min(CROSS_PROCESS_POLL_MS, timeoutMs)));
        let waiters = waitersByFile.get(file);
        if (!waiters) waitersByFile.set(file, (waiters = new Set()));
        waiters.add(done);
        ownWaiters.add(done);
      });
    },

    async pending(consumer) {
      checkOpen('pending');
      const row = countUnacked.get(ackedThrough(consumer), consumer) as { entries: number; events: number };
      return { entries: row.entries, events: row.events };
    },

    async close() {
      if (closed) return;
      flushAppends();
      closed = true;
      for (const wake of [...ownWaiters]) wake();
      await writer?.close();
      db.close();
    },
  };
}

/** What the writer thread needs of an append: the ids, and the request body or, without one, each event's JSON. */
function writerBatch({ events, options }: PendingAppend): WriterBatch {
  let idGenerated = '';
  for (let index = 0; index < events.length; index += 1) idGenerated += options?.idGenerated?.[index] === true ? '1' : '0';
  const body = options?.body;
  // A body mostly rejected is not worth keeping: the taken events are serialized instead.
  if (body && events.length * 2 >= body.ids.length) {
    return { ids: JSON.stringify(body.ids), idGenerated, body: { format: body.format, bytes: ownBytes(body.body) } };
  }
  return { ids: JSON.stringify(events.map((event) => event.id)), idGenerated, eventTexts: events.map((event) => JSON.stringify(event)) };
}

function appendResult(events: StorepulseEvent[], duplicateIndexes: WriterResult): AppendResult {
  if (duplicateIndexes.length === 0) return { accepted: events.map((event) => event.id), duplicates: [] };
  const duplicate = new Set(duplicateIndexes);
  return {
    accepted: events.filter((_, index) => !duplicate.has(index)).map((event) => event.id),
    duplicates: duplicateIndexes.map((index) => events[index].id),
  };
}

/**
 * The bytes in a buffer of their own, to be transferred to the writer: the request's body when it
 * has its buffer to itself (a large one does; a small Buffer shares an 8 KiB pool), else a copy.
 */
function ownBytes(buffer: Buffer): Uint8Array {
  const whole = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer;
  return whole ? buffer : new Uint8Array(buffer);
}

function entryEvents(row: EntryRow): Pick<LogEntry, 'events' | 'unreadable'> {
  if (row.body_ids === null) return { events: JSON.parse(row.payload as string) as StorepulseEvent[] };
  let body: Buffer | undefined;
  try {
    const { format, encoding, ids } = JSON.parse(row.body_ids) as { format: 'json' | 'ndjson'; encoding?: 'deflate-raw'; ids: (string | null)[] };
    body = encoding === 'deflate-raw' ? zlib.inflateRawSync(row.payload as Buffer) : row.payload as Buffer;
    const { events, refused } = eventsFromBody(body, format, ids);
    if (refused.length === 0) return { events };
    return {
      events,
      unreadable: refused.map(({ index, id, raw, reason }) => ({ event_id: id, payload: raw, reason: `event log entry ${row.seq}, event ${index}: ${reason}` })),
    };
  } catch (error) {
    const rest = body ? body.toString('utf8') : Buffer.from(row.payload as Buffer).toString('base64');
    return { events: [], unreadable: [{ payload: { entry: row.seq, body_ids: row.body_ids, body: rest }, reason: `event log entry ${row.seq} cannot be read back: ${(error as Error).message}` }] };
  }
}

interface PendingAppend {
  events: StorepulseEvent[];
  options: AppendOptions | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

interface EntryRow {
  seq: number;
  received_at: string;
  event_count: number;
  payload: string | Buffer;
  body_ids: string | null;
}
