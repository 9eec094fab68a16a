import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsObjects, type FsObjects } from '../../src/objects/fs.js';
import { BUCKETS, ObjectKeyError } from '../../src/objects/port.js';
import { HOSTILE_KEYS, describeObjectsContract } from '../contract/objects.contract.js';

describeObjectsContract('folder', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'storepulse-objects-'));
  const objects = await openFsObjects(path.join(root, 'buckets'));
  return { objects, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
});

/** Every file under a folder, relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name))).sort();
}

describe('folder objects adapter', () => {
  let sandbox: string;
  let root: string;
  let objects: FsObjects;

  beforeEach(async () => {
    sandbox = await fs.mkdtemp(path.join(os.tmpdir(), 'storepulse-objects-'));
    // The buckets sit two levels down so that an escape upwards would land inside the sandbox, where we can see it.
    root = path.join(sandbox, 'data', 'buckets');
    objects = await openFsObjects(root);
  });
  afterEach(async () => {
    await objects.close();
    await fs.rm(sandbox, { recursive: true, force: true });
  });

  it('creates one folder per bucket', async () => {
    expect((await fs.readdir(root)).sort()).toEqual([...BUCKETS].sort());
  });

  it('keeps objects as plain files at <root>/<bucket>/<key>, which pathFor names', async () => {
    await objects.put('public', 'reports/Sales_Report.pdf', 'pdf');
    const file = objects.pathFor('public', 'reports/Sales_Report.pdf');
    expect(file).toBe(path.join(root, 'public', 'reports', 'Sales_Report.pdf'));
    expect(await fs.readFile(file, 'utf8')).toBe('pdf');
  });

  it('pathFor checks the key too', () => {
    expect(() => objects.pathFor('public', '../../etc/passwd')).toThrow(ObjectKeyError);
  });

  it('writes nothing anywhere for hostile keys', async () => {
    for (const [key] of HOSTILE_KEYS) await objects.put('inbox', key, 'escaped').catch(() => undefined);
    expect(await filesUnder(sandbox)).toEqual([]);
    // Nested under a folder, some become legitimate keys ("deeper/C:/windows"); none may leave the bucket.
    for (const [key] of HOSTILE_KEYS) await objects.put('inbox', `deeper/${key}`, 'escaped').catch(() => undefined);
    const inbox = path.join('data', 'buckets', 'inbox') + path.sep;
    expect((await filesUnder(sandbox)).filter((file) => !file.startsWith(inbox))).toEqual([]);
  });

  it('leaves no temporary files after concurrent puts, and never lists one left by a crash', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, index) => objects.put('inbox', 'a/b.csv', `body ${index}`)));
    expect(await filesUnder(path.join(root, 'inbox'))).toEqual([path.join('a', 'b.csv')]);

    await fs.writeFile(path.join(root, 'inbox', 'a', '.storepulse-crashed.partial'), 'half a fi');
    expect((await objects.list('inbox')).map((entry) => entry.key)).toEqual(['a/b.csv']);
  });

  it('removes the temporary file when a stream body fails, and keeps the old object', async () => {
    await objects.put('inbox', 'x.csv', 'old');
    async function* failing() {
      yield Buffer.from('new partial');
      throw new Error('upload cut off');
    }
    const { Readable } = await import('node:stream');
    await expect(objects.put('inbox', 'x.csv', Readable.from(failing()))).rejects.toThrow('upload cut off');
    expect((await objects.get('inbox', 'x.csv')).toString()).toBe('old');
    expect(await filesUnder(path.join(root, 'inbox'))).toEqual(['x.csv']);
  });

  it('prunes folders a delete or move leaves empty, but not the bucket folder', async () => {
    await objects.put('inbox', 'deep/er/file.csv', 'x');
    await objects.move('inbox', 'deep/er/file.csv', 'processed', 'file.csv');
    expect(await fs.readdir(path.join(root, 'inbox'))).toEqual([]);
    await objects.delete('processed', 'file.csv');
    expect(await fs.readdir(path.join(root, 'processed'))).toEqual([]);
  });

  it('explains a key that nests under an existing object', async () => {
    await objects.put('exports', 'queries', 'an object');
    await expect(objects.put('exports', 'queries/q1.csv', 'x')).rejects.toThrow(/exports\/queries\/q1.csv: a part of its folder path is already an object/);
    await objects.put('exports', 'by-country/UK.csv', 'x');
    await expect(objects.put('exports', 'by-country', 'x')).rejects.toThrow(/objects already exist under exports\/by-country\//);
  });

  it('reopening keeps existing objects', async () => {
    await objects.put('archive', 'kept.txt', 'still here');
    const again = await openFsObjects(root);
    expect((await again.get('archive', 'kept.txt')).toString()).toBe('still here');
  });
});
