import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../src/worker-exec-argv.js';

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
