/**
 * The folder adapter of the objects port: `<root>/<bucket>/<key>`. A put writes a temporary file
 * in the target's folder, fsyncs it, renames it over the target and fsyncs the folder, so readers
 * and concurrent writers only ever see whole files and the last rename wins.
 */
import { randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  BUCKETS, RESERVED_SEGMENT_PREFIX, ObjectNotFoundError, checkBucket, checkObjectKey, compareKeys,
  type Bucket, type ObjectBody, type ObjectEntry, type ObjectHead, type Objects,
} from './port.js';

export interface FsObjects extends Objects {
  readonly root: string;
  /** The file behind an object, for serving it directly (the public bucket). The key is checked. */
  pathFor(bucket: Bucket, key: string): string;
}

export async function openFsObjects(root: string): Promise<FsObjects> {
  const absoluteRoot = path.resolve(root);
  await Promise.all(BUCKETS.map((bucket) => fs.mkdir(path.join(absoluteRoot, bucket), { recursive: true })));
  return new FolderObjects(absoluteRoot);
}

type Fill = (handle: FileHandle, temporaryPath: string) => Promise<void>;

const ABSENT_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
/** A put may race a delete that prunes the (then empty) folder it is about to write into. */
const MAX_FOLDER_RACES = 5;

class FolderObjects implements FsObjects {
  constructor(readonly root: string) {}

  pathFor(bucket: Bucket, key: string): string {
    const bucketDir = this.bucketDir(bucket);
    const file = path.join(bucketDir, ...checkObjectKey(key));
    if (!file.startsWith(bucketDir + path.sep)) throw new Error(`object key ${JSON.stringify(key)} resolves outside bucket ${bucket}`);
    return file;
  }

  async put(bucket: Bucket, key: string, body: ObjectBody): Promise<void> {
    await this.writeAtomically(bucket, key, (handle) => writeBody(handle, body));
  }

  async get(bucket: Bucket, key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathFor(bucket, key));
    } catch (error) {
      throw absentAsNotFound(error, bucket, key);
    }
  }

  async getStream(bucket: Bucket, key: string): Promise<Readable> {
    const file = this.pathFor(bucket, key);
    let handle: FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (error) {
      throw absentAsNotFound(error, bucket, key);
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new ObjectNotFoundError(bucket, key);
    }
    return handle.createReadStream();
  }

  async head(bucket: Bucket, key: string): Promise<ObjectHead | undefined> {
    try {
      const stats = await fs.stat(this.pathFor(bucket, key));
      return stats.isFile() ? { size: stats.size, modified: stats.mtime } : undefined;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async list(bucket: Bucket, prefix = ''): Promise<ObjectEntry[]> {
    const bucketDir = this.bucketDir(bucket);
    // Only the folders named in full by the prefix narrow the walk; the rest filters by string.
    const folderPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = folderPart ? path.join(bucketDir, ...checkObjectKey(folderPart)) : bucketDir;
    const entries: ObjectEntry[] = [];
    await walk(start, folderPart, entries);
    return entries.filter((entry) => entry.key.startsWith(prefix)).sort((a, b) => compareKeys(a.key, b.key));
  }

  async copy(fromBucket: Bucket, fromKey: string, toBucket: Bucket, toKey: string): Promise<void> {
    const source = this.pathFor(fromBucket, fromKey);
    if (!(await this.head(fromBucket, fromKey))) throw new ObjectNotFoundError(fromBucket, fromKey);
    await this.writeAtomically(toBucket, toKey, async (_handle, temporaryPath) => {
      try {
        await fs.copyFile(source, temporaryPath);
      } catch (error) {
        throw absentAsNotFound(error, fromBucket, fromKey);
      }
    });
  }

  async move(fromBucket: Bucket, fromKey: string, toBucket: Bucket, toKey: string): Promise<void> {
    const source = this.pathFor(fromBucket, fromKey);
    const target = this.pathFor(toBucket, toKey);
    if (!(await this.head(fromBucket, fromKey))) throw new ObjectNotFoundError(fromBucket, fromKey);
    if (source === target) return;
    try {
      await this.renameInto(source, target, toBucket, toKey);
    } catch (error) {
      if (errorCode(error) !== 'EXDEV') throw absentAsNotFound(error, fromBucket, fromKey);
      // The buckets sit on different file systems (a mounted volume): copy, then delete.
      await this.copy(fromBucket, fromKey, toBucket, toKey);
      await fs.rm(source, { force: true });
    }
    await syncFolder(path.dirname(target));
    await pruneEmptyFolders(path.dirname(source), this.bucketDir(fromBucket));
  }

  async delete(bucket: Bucket, key: string): Promise<void> {
    const file = this.pathFor(bucket, key);
    try {
      await fs.unlink(file);
    } catch (error) {
      if (isAbsent(error)) return;
      throw error;
    }
    await pruneEmptyFolders(path.dirname(file), this.bucketDir(bucket));
  }

  async close(): Promise<void> {}

  private bucketDir(bucket: Bucket): string {
    return path.join(this.root, checkBucket(bucket));
  }

  private async writeAtomically(bucket: Bucket, key: string, fill: Fill): Promise<void> {
    const target = this.pathFor(bucket, key);
    const folder = path.dirname(target);
    const { handle, temporaryPath } = await openTemporaryFile(folder, bucket, key);
    try {
      try {
        await fill(handle, temporaryPath);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporaryPath, target).catch((error: unknown) => {
        throw explainCollision(error, bucket, key);
      });
    } catch (error) {
      await fs.rm(temporaryPath, { force: true });
      throw error;
    }
    await syncFolder(folder);
  }

  private async renameInto(source: string, target: string, bucket: Bucket, key: string): Promise<void> {
    for (let race = 1; ; race += 1) {
      await makeFolder(path.dirname(target), bucket, key);
      try {
        await fs.rename(source, target);
        return;
      } catch (error) {
        const targetFolderVanished = errorCode(error) === 'ENOENT' && (await exists(source));
        if (!targetFolderVanished || race >= MAX_FOLDER_RACES) throw explainCollision(error, bucket, key);
      }
    }
  }
}

async function openTemporaryFile(folder: string, bucket: Bucket, key: string): Promise<{ handle: FileHandle; temporaryPath: string }> {
  for (let race = 1; ; race += 1) {
    await makeFolder(folder, bucket, key);
    const temporaryPath = path.join(folder, `${RESERVED_SEGMENT_PREFIX}${randomUUID()}.partial`);
    try {
      return { handle: await fs.open(temporaryPath, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY), temporaryPath };
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || race >= MAX_FOLDER_RACES) throw error;
    }
  }
}

async function writeBody(handle: FileHandle, body: ObjectBody): Promise<void> {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return handle.writeFile(body);
  // Written through the handle (not a write stream) so that it stays open to be fsynced before the rename.
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array);
    for (let offset = 0; offset < bytes.length;) offset += (await handle.write(bytes, offset)).bytesWritten;
  }
}

async function makeFolder(folder: string, bucket: Bucket, key: string): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (error) {
    if (errorCode(error) === 'ENOTDIR' || errorCode(error) === 'EEXIST') {
      throw new Error(`cannot write ${bucket}/${key}: a part of its folder path is already an object; pick a key that does not nest under an existing object`, { cause: error });
    }
    throw error;
  }
}

function explainCollision(error: unknown, bucket: Bucket, key: string): unknown {
  const code = errorCode(error);
  if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') {
    return new Error(`cannot write ${bucket}/${key}: objects already exist under ${bucket}/${key}/ (a folder of that name); pick another key`, { cause: error });
  }
  return error;
}

async function walk(folder: string, keyPrefix: string, into: ObjectEntry[]): Promise<void> {
  let names;
  try {
    names = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isAbsent(error)) return;
    throw error;
  }
  for (const entry of names) {
    if (entry.name.startsWith(RESERVED_SEGMENT_PREFIX)) continue;
    const key = keyPrefix ? `${keyPrefix}/${entry.name}` : entry.name;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      await walk(full, key, into);
    } else if (entry.isFile()) {
      const stats = await fs.stat(full).catch((error: unknown) => (isAbsent(error) ? undefined : Promise.reject(error)));
      if (stats) into.push({ key, size: stats.size, modified: stats.mtime });
    }
  }
}

/** Removes folders left empty by a delete or move, up to (not including) the bucket folder. */
async function pruneEmptyFolders(folder: string, bucketDir: string): Promise<void> {
  for (let current = folder; current.startsWith(bucketDir + path.sep); current = path.dirname(current)) {
    try {
      await fs.rmdir(current);
    } catch {
      return; // not empty (or already gone, or in use by a concurrent put): stop climbing
    }
  }
}

async function syncFolder(folder: string): Promise<void> {
  // A concurrent delete may already have emptied and pruned the folder: nothing left to make durable.
  const handle = await fs.open(folder, 'r').catch((error: unknown) => (isAbsent(error) ? undefined : Promise.reject(error)));
  if (!handle) return;
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function isAbsent(error: unknown): boolean {
  return ABSENT_CODES.has(errorCode(error) ?? '');
}

function absentAsNotFound(error: unknown, bucket: Bucket, key: string): unknown {
  return isAbsent(error) ? new ObjectNotFoundError(bucket, key) : error;
}
