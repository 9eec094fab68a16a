import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startWorker, threadNice, workerExecArgv } from '../src/start-worker.js';

describe('workerExecArgv', () => {
  it('drops a tsx loader in every spelling and keeps the other options in order', () => {
    expect(workerExecArgv(['--import', 'tsx', '--enable-source-maps', '--import=tsx/esm', '--require', 'tsx/cjs', '--loader=tsx', '--cpu-prof']))
      .toEqual(['--enable-source-maps', '--cpu-prof']);
  });

  it('keeps loaders that are not tsx, with their values', () => {
    expect(workerExecArgv(['--import', './telemetry.mjs', '--require=dotenv/config', '-r', 'tsxlike'])).toEqual(['--import', './telemetry.mjs', '--require=dotenv/config', '-r', 'tsxlike']);
  });

  it('is empty for a parent started without options', () => {
    expect(workerExecArgv([])).toEqual([]);
  });
});

describe('startWorker', () => {
  const answer = async (parentExecArgv: string[]) => {
    const worker = startWorker("require('node:worker_threads').parentPort.postMessage(process.execArgv)", { eval: true }, parentExecArgv);
    const [execArgv] = await once(worker, 'message') as [string[]];
    await worker.terminate();
    return execArgv;
  };

  it('starts a worker without the tsx loader of its parent', async () => {
    expect(await answer(['--import', 'tsx', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
  });

  it('starts one when the parent also has options a worker may only inherit (V8 flags), inheriting them all', async () => {
    // Named, --max-old-space-size makes the Worker constructor throw ERR_WORKER_INVALID_EXEC_ARGV.
    await expect(answer(['--max-old-space-size=4096', '--import', 'tsx'])).resolves.toEqual(process.execArgv);
  });
});

describe.runIf(process.platform === 'linux')('lowerThreadPriority', () => {
  it("lowers the calling thread's priority only, not its process's other threads", async () => {
    const module = fileURLToPath(new URL('../src/start-worker.ts', import.meta.url));
    const worker = new Worker(
      `require('tsx/cjs/api').register();
       const m = require(${JSON.stringify(module)});
       require('node:worker_threads').parentPort.postMessage([m.threadNice(), m.lowerThreadPriority(7), m.threadNice()]);`,
      { eval: true },
    );
    const [[before, returned, after]] = await once(worker, 'message') as [[number, number, number]];
    await worker.terminate();
    expect([before, returned, after]).toEqual([threadNice(), 7, 7]);
    expect(threadNice()).toBe(before);
  });
});
