/**
 * How a request body of POST /v1/events holds its events. Shared by ingest, which reads bodies,
 * and the event log, which may store a body as received and read its events back the same way.
 */
import { checkEvent, type StorepulseEvent } from './schemas.js';

export type BodyFormat = 'json' | 'ndjson';

/** The events of a parsed JSON body: the array itself, or the `events` array of an object; else undefined. */
export function eventsOfJson(parsed: unknown): unknown[] | undefined {
  const events = Array.isArray(parsed) ? parsed : (parsed as { events?: unknown } | null)?.events;
  return Array.isArray(events) ? events : undefined;
}

/**
 * True when no string parsed from this JSON or NDJSON body can hold a control character (U+0000 to
 * U+001F, U+007F). JSON.parse refuses the first ones raw in a string, so they only get in through
 * an escape (\b \f \n \r \t, or \u00XX below \u0020, or \u007F), and DEL is one byte in UTF-8.
 * Escaped quotes, slashes and backslashes and other \u escapes (a product called 7" RECORD FRAME,
 * an escaped é) bring none. Call it on a body that parsed: there backslashes only begin escapes.
 */
export function withoutControlCharacters(body: Buffer): boolean {
  if (body.indexOf(0x7f) !== -1) return false;
  for (let at = body.indexOf(0x5c); at !== -1; at = body.indexOf(0x5c, at + 2)) {
    const escaped = body[at + 1];
    if (escaped === 0x75 /* u */) {
      if (isControlCodeEscape(body, at + 2)) return false;
    } else if (escaped !== 0x22 /* " */ && escaped !== 0x5c /* \ */ && escaped !== 0x2f /* / */) {
      return false;
    }
  }
  return true;
}

/** Whether the 4 hex digits at `at` name U+0000 to U+001F or U+007F. */
function isControlCodeEscape(body: Buffer, at: number): boolean {
  if (body[at] !== 0x30 || body[at + 1] !== 0x30) return false;
  const third = body[at + 2];
  if (third === 0x30 || third === 0x31) return true;
  return third === 0x37 && (body[at + 3] === 0x66 || body[at + 3] === 0x46);
}

/** The non-blank lines of an NDJSON body, each with its 1-based line number. */
export function ndjsonLines(text: string): { text: string; lineNumber: number }[] {
  const lines: { text: string; lineNumber: number }[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() !== '') lines.push({ text: line, lineNumber: index + 1 });
  });
  return lines;
}

export interface EventsFromBody {
  events: StorepulseEvent[];
  /** Events taken once that this version's contract refuses (the contract changed since). */
  refused: { index: number; id: string; raw: unknown; reason: string }[];
}

/**
 * The events a body was accepted with, rebuilt from the body: `ids` holds, per event of the body,
 * the id it was taken under, or null for one that was not taken. Each is checked again (the check
 * is deterministic once the id is set), so the result equals what ingest validated. Throws when the
 * body itself does not hold the recorded events (a damaged entry).
 */
export function eventsFromBody(body: Buffer, format: BodyFormat, ids: readonly (string | null)[]): EventsFromBody {
  const text = body.toString('utf8');
  const rawEvents = format === 'ndjson' ? ndjsonLines(text).map((line) => JSON.parse(line.text) as unknown) : eventsOfJson(JSON.parse(text));
  if (!rawEvents || rawEvents.length !== ids.length) throw new Error(`a stored body holds ${rawEvents?.length ?? 'no'} events where ${ids.length} were recorded`);
  const clean = withoutControlCharacters(body);
  const events: StorepulseEvent[] = [];
  const refused: EventsFromBody['refused'] = [];
  ids.forEach((id, index) => {
    if (id === null) return;
    const raw = rawEvents[index] as Record<string, unknown>;
    raw.id = id;
    const check = checkEvent(raw, index, { withoutControlCharacters: clean });
    if (check.ok) events.push(check.event);
    else refused.push({ index, id, raw, reason: `no longer passes the event contract (${check.problem.field}: ${check.problem.reason}); it was accepted by another version of storepulse` });
  });
  return { events, refused };
}
