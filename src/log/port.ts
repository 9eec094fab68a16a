/**
 * The event log port (DESIGN §2): where ingest appends validated events durably before it
 * answers, and where the consumer reads them. Adapters: SQLite (embedded), Redis Streams.
 *
 * One log entry holds one accepted batch (an HTTP request's events, or a chunk of a file), so an
 * append costs one durable write however many events it carries.
 */
import type { StorepulseEvent } from '../events/schemas.js';
import type { BodyFormat } from '../events/request-body.js';

export interface LogEntry {
  /** Adapter-specific position, opaque to callers (SQLite: the row's seq; Redis: the stream id). */
  position: string;
  receivedAt: string;
  events: StorepulseEvent[];
  /**
   * What of the entry could not be read back as events (a stored event another version of
   * storepulse accepted and this one's contract refuses, a damaged entry), with the reason: the
   * consumer dead-letters it rather than retry the entry forever and hold up the ones after it.
   */
  unreadable?: UnreadableEvent[];
}

export interface UnreadableEvent {
  event_id?: string;
  /** The raw event, or what is left of the entry. */
  payload: unknown;
  reason: string;
}

export interface AppendResult {
  /** Ids new to the log, in request order; these are durable when append resolves. */
  accepted: string[];
  /** Ids the log had already accepted earlier (or twice in this batch): not appended again. */
  duplicates: string[];
}

export interface AppendOptions {
  /**
   * Per event, whether its id was generated at ingest (newEventId) because the client sent none.
   * Such an id is new by construction, so the log neither looks it up nor indexes it. A client that
   * later sends it back is accepted again, and still counted once: the sinks skip ids applied earlier.
   */
  idGenerated?: readonly boolean[];
  /**
   * The request body the events were read from. An adapter may store it as received instead of
   * serializing the events again, and rebuild them on read with eventsFromBody (which checks each
   * again, so what it returns equals `events`). The adapter may take the Buffer's memory (SQLite
   * transfers it to its writer thread): do not use it after calling append.
   */
  body?: {
    format: BodyFormat;
    body: Buffer;
    /** Per event of the body, in order: the id it was taken under (that of the matching entry of `events`), or null if rejected. */
    ids: readonly (string | null)[];
  };
}

export interface EventLog {
  /** Appends the events not seen before as one entry. Resolves only once that entry is durable. */
  append(events: StorepulseEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Entries not yet acknowledged by `consumer`, oldest first, holding at most about `maxEvents`
   * events (always at least one entry when any is pending). Reading again before acknowledging
   * returns the same entries.
   */
  read(consumer: string, maxEvents: number): Promise<LogEntry[]>;
  /** Acknowledges entries for `consumer`: they are not returned by `read` again. */
  ack(consumer: string, positions: string[]): Promise<void>;
  /** Resolves when an append may have happened since the call, or after `timeoutMs`. */
  waitForAppend(timeoutMs: number): Promise<void>;
  /** Number of entries and events not yet acknowledged by `consumer`. */
  pending(consumer: string): Promise<{ entries: number; events: number }>;
  close(): Promise<void>;
}
