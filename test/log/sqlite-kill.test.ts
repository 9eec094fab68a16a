import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openSqliteLog } from '../../src/log/sqlite.js';

const CHILD = fileURLToPath(new URL('./append-child.ts', import.meta.url));
const BATCHES_BEFORE_KILL = 40;

/** Starts the appending child and SIGKILLs it once it has acknowledged enough batches. */
function appendUntilKilled(file: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: string[][] = [];
    let buffered = '';
    let errors = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) acknowledged.push(JSON.parse(line) as string[]);
      if (acknowledged.length >= BATCHES_BEFORE_KILL) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`append child exited with code ${code} before it was killed: ${errors}`));
    });
  });
}

it('keeps every acknowledged event exactly once after the appending process is killed, and wakes a reader in another process', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'storepulse-log-kill-'));
  const file = path.join(dir, 'log.sqlite');
  // A reader in this process, opened before the child appends, must notice the other process's appends.
  const watcher = openSqliteLog({ file });
  const woken = watcher.waitForAppend(60_000).then(() => 'woken');
  try {
    const acknowledged = await appendUntilKilled(file);
    expect(await Promise.race([woken, new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting'))])).toBe('woken');
    expect(acknowledged.length).toBeGreaterThanOrEqual(BATCHES_BEFORE_KILL);
    // Each tenth batch carried one repeat of an earlier id: the log must have refused it.
    expect(acknowledged[10]).toHaveLength(50);

    const log = openSqliteLog({ file });
    try {
      const stored = new Map<string, number>();
      for (const entry of await log.read('verifier', Number.MAX_SAFE_INTEGER)) {
        for (const event of entry.events) stored.set(event.id, (stored.get(event.id) ?? 0) + 1);
      }
      const printed = acknowledged.flat();
      expect(new Set(printed).size).toBe(printed.length);
      const missingOrRepeated = printed.filter((id) => stored.get(id) !== 1);
      expect(missingOrRepeated).toEqual([]);
      expect([...stored.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await log.close();
    }
  } finally {
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
  }
});
