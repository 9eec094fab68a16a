import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLog } from '../../src/log/sqlite.js';
import { describeEventLogContract, orderEvent } from '../contract/log.contract.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'storepulse-log-'));
}

describeEventLogContract('sqlite', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'log.sqlite');
  return {
    log: openSqliteLog({ file }),
    reopen: async () => openSqliteLog({ file }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('sqlite event log', () => {
  it('wakes a reader in this process when another EventLog on the same file appends', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'log.sqlite');
    const reader = openSqliteLog({ file });
    const writer = openSqliteLog({ file, sync: 'full' });
    try {
      const woken = reader.waitForAppend(30_000).then(() => 'woken');
      await writer.append([orderEvent('from-writer')]);
      const outcome = await Promise.race([woken, new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting'))]);
      expect(outcome).toBe('woken');
      expect((await reader.read('worker', 10))[0].events[0].id).toBe('from-writer');
    } finally {
      await reader.close();
      await writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a position it never returned, naming it', async () => {
    const dir = await tempDir();
    const log = openSqliteLog({ file: path.join(dir, 'log.sqlite') });
    try {
      await expect(log.ack('worker', ['not-a-position'])).rejects.toThrow(/"not-a-position"/);
      await log.append([orderEvent('only')]);
      await expect(log.ack('worker', ['999'])).rejects.toThrow(/"999" holds no entry/);
      expect(await log.pending('worker')).toEqual({ entries: 1, events: 1 });
    } finally {
      await log.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
