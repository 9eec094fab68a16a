/**
 * Files the jobs write go through the objects port: the file is made in a private temp folder
 * (DuckDB's COPY writes to a path), then stored with one put, so an S3 bucket only ever receives
 * whole objects and the folder adapter's atomic rename still holds.
 */
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Bucket, Objects } from '../objects/port.js';

/** Runs `work` with a fresh temp folder, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `storepulse-${prefix}-`));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function putFile(objects: Objects, bucket: Bucket, key: string, file: string): Promise<void> {
  await objects.put(bucket, key, fs.createReadStream(file));
}

/** One CSV field: quoted when it holds a separator, a quote or a line break (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
