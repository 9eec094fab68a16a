import { randomUUID, createHash } from 'node:crypto';

/** An id for an event that came without one. Time-ordered prefix keeps log and index inserts local. */
export function newEventId(): string {
  return `ev_${Date.now().toString(36)}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** A stable id derived from content, so that importing the same thing twice adds nothing. */
export function contentId(prefix: string, ...parts: string[]): string {
  const joined = parts.join(':');
  if (joined.length + prefix.length < 120) return `${prefix}:${joined}`;
  return `${prefix}:${createHash('sha256').update(joined).digest('hex').slice(0, 32)}`;
}
