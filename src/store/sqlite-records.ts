/**
 * The pipeline's own records in the SQLite store: dead letters, job runs, notifications, ingested
 * files and attention counters. JSON-valued fields are stored as JSON text.
 */
import type Database from 'better-sqlite3';
import type {
  AttentionCounter, DeadLetter, IngestedFile, JobRun, JobStatus, NotificationRecord, Page, Store,
} from './port.js';

type RecordMethods = Pick<Store,
  | 'addDeadLetters' | 'listDeadLetters' | 'getDeadLetter' | 'deleteDeadLetter'
  | 'startJobRun' | 'finishJobRun' | 'listJobRuns'
  | 'addNotification' | 'listNotifications'
  | 'getIngestedFile' | 'recordIngestedFile'
  | 'saveAttention' | 'latestHighAttention'>;

interface DeadLetterRow {
  id: number;
  payload: string;
  reason: string;
  origin: string;
  event_id: string | null;
  first_seen: string;
  last_seen: string;
  attempts: number;
}

interface JobRunRow extends Omit<JobRun, 'outputs'> {
  outputs: string;
}

interface NotificationRow extends Omit<NotificationRecord, 'deliveries'> {
  deliveries: string;
}

const now = () => new Date().toISOString();

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  const letter: DeadLetter = {
    id: row.id, payload: JSON.parse(row.payload) as unknown, reason: row.reason, origin: row.origin,
    first_seen: row.first_seen, last_seen: row.last_seen, attempts: row.attempts,
  };
  if (row.event_id !== null) letter.event_id = row.event_id;
  return letter;
}

const toJobRun = (row: JobRunRow): JobRun => ({ ...row, outputs: JSON.parse(row.outputs) as Record<string, unknown> });
const toNotification = (row: NotificationRow): NotificationRecord =>
  ({ ...row, deliveries: JSON.parse(row.deliveries) as Record<string, string> });

function page<T>(items: T[], total: number, options: { limit: number; offset: number }): Page<T> {
  return { items, total, limit: options.limit, offset: options.offset };
}

/** Distinct windows named by the counters and the top list, so an empty top list still replaces the old one. */
function windowsOf(rows: AttentionCounter[]): Map<string, { start: string; end: string }> {
  const windows = new Map<string, { start: string; end: string }>();
  for (const row of rows) windows.set(`${row.window_start}\u0000${row.window_end}`, { start: row.window_start, end: row.window_end });
  return windows;
}

export function createRecords(db: Database.Database, checkOpen: (operation: string) => void,
  checkPaging: (options: { limit: number; offset: number }, what: string) => void): RecordMethods {
  const insertDeadLetter = db.prepare(`
    INSERT INTO dead_letters (payload, reason, origin, event_id, first_seen, last_seen, attempts)
    VALUES (@payload, @reason, @origin, @event_id, @now, @now, 1)
    ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO UPDATE SET
      payload = excluded.payload, reason = excluded.reason, origin = excluded.origin,
      last_seen = excluded.last_seen, attempts = dead_letters.attempts + 1`);
  const deadLetterPage = db.prepare('SELECT * FROM dead_letters ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?');
  const deadLetterCount = db.prepare('SELECT count(*) FROM dead_letters').pluck();
  const deadLetterById = db.prepare('SELECT * FROM dead_letters WHERE id = ?');
  const deleteDeadLetter = db.prepare('DELETE FROM dead_letters WHERE id = ?');

  const insertJobRun = db.prepare(`
    INSERT INTO job_runs (job, scheduled_for, started_at, status, attempt, outputs) VALUES (?, ?, ?, 'running', ?, '{}') RETURNING *`);
  const finishJobRun = db.prepare('UPDATE job_runs SET ended_at = ?, status = ?, error = ?, outputs = ? WHERE id = ? RETURNING *');
  const jobRunPage = db.prepare('SELECT * FROM job_runs WHERE (@job IS NULL OR job = @job) ORDER BY id DESC LIMIT @limit OFFSET @offset');
  const jobRunCount = db.prepare('SELECT count(*) FROM job_runs WHERE (@job IS NULL OR job = @job)').pluck();

  const insertNotification = db.prepare(`
    INSERT INTO notifications (job, level, message, link, deliveries, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *`);
  const notificationPage = db.prepare('SELECT * FROM notifications ORDER BY id DESC LIMIT ? OFFSET ?');
  const notificationCount = db.prepare('SELECT count(*) FROM notifications').pluck();

  const ingestedFile = db.prepare('SELECT * FROM ingested_files WHERE sha256 = ?');
  const upsertIngestedFile = db.prepare(`
    INSERT INTO ingested_files (sha256, name, format, rows, events, failed_rows, status, loaded_at)
    VALUES (@sha256, @name, @format, @rows, @events, @failed_rows, @status, @loaded_at)
    ON CONFLICT (sha256) DO UPDATE SET name = excluded.name, format = excluded.format, rows = excluded.rows,
      events = excluded.events, failed_rows = excluded.failed_rows, status = excluded.status, loaded_at = excluded.loaded_at`);

  const upsertWindow = db.prepare(`
    INSERT INTO attention_windows (window_start, window_end, saved_at) VALUES (?, ?, ?)
    ON CONFLICT (window_start, window_end) DO UPDATE SET saved_at = excluded.saved_at`);
  const clearCounters = db.prepare('DELETE FROM attention_counters WHERE window_start = ? AND window_end = ?');
  const clearTop = db.prepare('DELETE FROM high_attention WHERE window_start = ? AND window_end = ?');
  const insertCounter = db.prepare(`
    INSERT INTO attention_counters (window_start, window_end, product_id, views, purchases) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (window_start, window_end, product_id) DO UPDATE SET views = excluded.views, purchases = excluded.purchases`);
  const insertTop = db.prepare(`
    INSERT INTO high_attention (window_start, window_end, rank, product_id, views, purchases) VALUES (?, ?, ?, ?, ?, ?)`);
  const latestTop = db.prepare(`
    SELECT h.product_id, h.window_start, h.window_end, h.views, h.purchases FROM high_attention h
    JOIN (SELECT window_start, window_end FROM attention_windows ORDER BY window_end DESC, window_start DESC LIMIT 1) w
      USING (window_start, window_end)
    ORDER BY h.views DESC, h.rank`);

  const addDeadLetters = db.transaction((letters: Parameters<Store['addDeadLetters']>[0]) => {
    const seenAt = now();
    for (const letter of letters) {
      insertDeadLetter.run({
        payload: JSON.stringify(letter.payload ?? null), reason: letter.reason, origin: letter.origin,
        event_id: letter.event_id ?? null, now: seenAt,
      });
    }
  });

  const saveAttention = db.transaction((counters: AttentionCounter[], top: AttentionCounter[]) => {
    const savedAt = now();
    for (const { start, end } of windowsOf([...counters, ...top]).values()) {
      upsertWindow.run(start, end, savedAt);
      clearCounters.run(start, end);
      clearTop.run(start, end);
    }
    for (const row of counters) insertCounter.run(row.window_start, row.window_end, row.product_id, row.views, row.purchases);
    const ranks = new Map<string, number>();
    for (const row of [...top].sort((a, b) => b.views - a.views)) {
      const key = `${row.window_start}\u0000${row.window_end}`;
      const rank = (ranks.get(key) ?? 0) + 1;
      ranks.set(key, rank);
      insertTop.run(row.window_start, row.window_end, rank, row.product_id, row.views, row.purchases);
    }
  });

  return {
    async addDeadLetters(letters) {
      checkOpen('addDeadLetters');
      if (letters.length > 0) addDeadLetters.immediate(letters);
    },
    async listDeadLetters(options) {
      checkOpen('listDeadLetters');
      checkPaging(options, 'listDeadLetters');
      const rows = deadLetterPage.all(options.limit, options.offset) as DeadLetterRow[];
      return page(rows.map(toDeadLetter), deadLetterCount.get() as number, options);
    },
    async getDeadLetter(id) {
      checkOpen('getDeadLetter');
      const row = deadLetterById.get(id) as DeadLetterRow | undefined;
      return row && toDeadLetter(row);
    },
    async deleteDeadLetter(id) {
      checkOpen('deleteDeadLetter');
      deleteDeadLetter.run(id);
    },

    async startJobRun(job, scheduledFor, attempt) {
      checkOpen('startJobRun');
      return toJobRun(insertJobRun.get(job, scheduledFor, now(), attempt) as JobRunRow);
    },
    async finishJobRun(id, status: Exclude<JobStatus, 'running'>, error, outputs) {
      checkOpen('finishJobRun');
      const row = finishJobRun.get(now(), status, error, JSON.stringify(outputs), id) as JobRunRow | undefined;
      if (!row) throw new Error(`finishJobRun: job run ${id} does not exist; pass the id startJobRun returned`);
      return toJobRun(row);
    },
    async listJobRuns(options) {
      checkOpen('listJobRuns');
      checkPaging(options, 'listJobRuns');
      const job = options.job ?? null;
      const rows = jobRunPage.all({ job, limit: options.limit, offset: options.offset }) as JobRunRow[];
      return page(rows.map(toJobRun), jobRunCount.get({ job }) as number, options);
    },

    async addNotification(notification) {
      checkOpen('addNotification');
      const row = insertNotification.get(notification.job, notification.level, notification.message, notification.link ?? null,
        JSON.stringify(notification.deliveries), now()) as NotificationRow;
      return toNotification(row);
    },
    async listNotifications(options) {
      checkOpen('listNotifications');
      checkPaging(options, 'listNotifications');
      const rows = notificationPage.all(options.limit, options.offset) as NotificationRow[];
      return page(rows.map(toNotification), notificationCount.get() as number, options);
    },

    async getIngestedFile(sha256) {
      checkOpen('getIngestedFile');
      return ingestedFile.get(sha256) as IngestedFile | undefined;
    },
    async recordIngestedFile(file) {
      checkOpen('recordIngestedFile');
      upsertIngestedFile.run({
        sha256: file.sha256, name: file.name, format: file.format, rows: file.rows, events: file.events,
        failed_rows: file.failed_rows, status: file.status, loaded_at: now(),
      });
    },

    async saveAttention(counters, top) {
      checkOpen('saveAttention');
      saveAttention.immediate(counters, top);
    },
    async latestHighAttention() {
      checkOpen('latestHighAttention');
      return latestTop.all() as AttentionCounter[];
    },
  };
}
