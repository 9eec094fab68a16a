/**
 * The objects port (DESIGN §2): named buckets of keyed files (inbox, processed, failed, archive,
 * public, exports). Adapters: a folder (embedded), S3. A put is atomic: a reader sees the old
 * object or the new one, never part of one.
 */
import type { Readable } from 'node:stream';

export const BUCKETS = ['inbox', 'processed', 'failed', 'archive', 'public', 'exports'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface ObjectHead {
  size: number;
  modified: Date;
}

export interface ObjectEntry extends ObjectHead {
  key: string;
}

export type ObjectBody = Buffer | string | Readable;

export interface Objects {
  /** Writes the whole body, then makes it visible at once; an existing object is replaced. */
  put(bucket: Bucket, key: string, body: ObjectBody): Promise<void>;
  /** The whole object; ObjectNotFoundError when absent. */
  get(bucket: Bucket, key: string): Promise<Buffer>;
  /** The object as a stream; ObjectNotFoundError (before any byte) when absent. */
  getStream(bucket: Bucket, key: string): Promise<Readable>;
  /** Size and modification time, or undefined when absent. */
  head(bucket: Bucket, key: string): Promise<ObjectHead | undefined>;
  /** Every object whose key starts with `prefix` (a plain string prefix, as in S3), sorted by key (UTF-8 bytes). */
  list(bucket: Bucket, prefix?: string): Promise<ObjectEntry[]>;
  /** Copies an object; the target is replaced atomically. ObjectNotFoundError when the source is absent. */
  copy(fromBucket: Bucket, fromKey: string, toBucket: Bucket, toKey: string): Promise<void>;
  /** Moves an object (across buckets too); ObjectNotFoundError when the source is absent. */
  move(fromBucket: Bucket, fromKey: string, toBucket: Bucket, toKey: string): Promise<void>;
  /** Deletes an object; deleting an absent object is not an error. */
  delete(bucket: Bucket, key: string): Promise<void>;
  close(): Promise<void>;
}

export class ObjectKeyError extends Error {
  constructor(readonly key: string, readonly rule: string) {
    super(`object key ${JSON.stringify(key)} is not allowed: ${rule}; use a relative path like "reports/2024-01-01/file.pdf"`);
    this.name = 'ObjectKeyError';
  }
}

export class ObjectNotFoundError extends Error {
  constructor(readonly bucket: Bucket, readonly key: string) {
    super(`object ${bucket}/${key} does not exist`);
    this.name = 'ObjectNotFoundError';
  }
}

export class UnknownBucketError extends Error {
  constructor(readonly bucket: string) {
    super(`bucket ${JSON.stringify(bucket)} does not exist; buckets are ${BUCKETS.join(', ')}`);
    this.name = 'UnknownBucketError';
  }
}

export const MAX_KEY_BYTES = 1024;
/** Most file systems cap one path segment at 255 bytes; the rule holds on every adapter so keys move freely between them. */
export const MAX_SEGMENT_BYTES = 255;
/** Adapters may keep work-in-progress files under names with this prefix; keys may not use it. */
export const RESERVED_SEGMENT_PREFIX = '.storepulse-';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Throws ObjectKeyError naming the key and the broken rule; returns the key's segments. */
export function checkObjectKey(key: string): string[] {
  if (typeof key !== 'string' || key.length === 0) throw new ObjectKeyError(String(key), 'it is empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new ObjectKeyError(key, `it is longer than ${MAX_KEY_BYTES} bytes`);
  if (CONTROL_CHARACTER.test(key)) throw new ObjectKeyError(key, 'it contains a control character');
  if (key.includes('\\')) throw new ObjectKeyError(key, 'it contains a backslash (use "/" between folders)');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw new ObjectKeyError(key, 'it is an absolute path');
  const segments = key.split('/');
  for (const segment of segments) checkSegment(key, segment);
  return segments;
}

function checkSegment(key: string, segment: string): void {
  if (segment === '..') throw new ObjectKeyError(key, 'it has a ".." segment');
  if (segment === '.') throw new ObjectKeyError(key, 'it has a "." segment');
  if (segment === '') throw new ObjectKeyError(key, 'it has an empty segment (a leading, trailing or doubled "/")');
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) throw new ObjectKeyError(key, `a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  if (segment.startsWith(RESERVED_SEGMENT_PREFIX)) throw new ObjectKeyError(key, `a segment starts with the reserved "${RESERVED_SEGMENT_PREFIX}"`);
}

export function checkBucket(bucket: string): Bucket {
  if (!(BUCKETS as readonly string[]).includes(bucket)) throw new UnknownBucketError(bucket);
  return bucket as Bucket;
}

/** Sort order of list(): by the key's UTF-8 bytes, as S3 lists. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
