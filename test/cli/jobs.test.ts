import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRun, Page } from '../../src/store/port.js';
import { runCli, seedShop, startTestServer } from './helpers.js';

let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-cli-jobs-'));
  env = { STOREPULSE_DATA_DIR: dataDir };
  await seedShop(dataDir);
}, 60_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const exported = (key: string) => fs.readFileSync(path.join(dataDir, 'buckets', 'exports', key), 'utf8');

describe('storepulse jobs without a server', () => {
  it('lists the jobs with their schedules, overrides included', async () => {
    const result = await runCli(['jobs', 'list'], { ...env, STOREPULSE_SCHEDULE_COUNTRY_SPLIT: '30 2 * * *' });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SCHEDULE\s+NEXT RUN\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(/^country-split\s+30 2 \* \* \*\s+\d{4}-\d\d-\d\dT02:30:00\.000Z\s+per country: /);
    expect(lines[2]).toMatch(/^query\s+on demand\s+-\s+exports each pending user query/);
    expect(lines[3]).toMatch(/^broken\s+0 0 1 1 \*\s+\d{4}-01-01T00:00:00\.000Z\s+always fails$/);
  }, 30_000);

  it('refuses a schedule override that is not a cron expression, naming the variable', async () => {
    const result = await runCli(['jobs', 'list'], { ...env, STOREPULSE_SCHEDULE_COUNTRY_SPLIT: 'daily' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/STOREPULSE_SCHEDULE_COUNTRY_SPLIT="daily" is not a valid cron expression/);
  }, 30_000);

  it('runs a job for a past moment, records the run and writes what the job writes', async () => {
    const result = await runCli(['jobs', 'run', 'country-split', '--at', '2011-01-04'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^country-split ran successfully: 2 countries, 3 order lines\nrun \d+: country-split succeeded in [\d.]+ s, for 2011-01-04T00:00:00.000Z, attempt 1\n$/);
    // Only what had happened by then: the cancellation of 2011-01-04 09:00 is not there yet.
    expect(exported('product-day-sales/France.csv')).toBe('date,product_id,total_quantity,total_amount\n2011-01-03,P1,2,5.00\n2011-01-03,P2,1,0.85\n');

    const now = await runCli(['jobs', 'run', 'country-split', '--json'], env);
    expect(now.code, now.stderr).toBe(0);
    expect(JSON.parse(now.stdout)).toMatchObject({ job: 'country-split', status: 'succeeded', outputs: { countries: 2, order_lines: 4 } });
    expect(exported('product-day-sales/France.csv')).toMatch(/2011-01-04,P1,-1,-2.50\n$/);
  }, 30_000);

  it('exits 1 with the reason when the job fails, and 2 for an unknown job or a bad --at', async () => {
    const failed = await runCli(['jobs', 'run', 'broken'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^broken failed due to no route to the moon\nrun \d+: broken failed/);

    const unknown = await runCli(['jobs', 'run', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('storepulse jobs: no job named "nope"; jobs are country-split, query, broken\n');

    const badAt = await runCli(['jobs', 'run', 'country-split', '--at', 'last tuesday'], env);
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toMatch(/--at "last tuesday": .*use a date like 2011-12-04/);
  }, 60_000);

  it('shows the history, newest first, for one job or all', async () => {
    const all = await runCli(['jobs', 'history'], env);
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+JOB\s+STATUS\s+FOR\s+STARTED\s+SECONDS\s+ATTEMPT\s+ERROR OR OUTPUTS$/);
    expect(lines[1]).toMatch(/^\d+\s+broken\s+failed\s+\S+\s+\S+\s+[\d.]+\s+1\s+no route to the moon$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[1])).toEqual(['broken', 'country-split', 'country-split']);

    const mine = await runCli(['jobs', 'history', '--job', 'country-split', '--limit', '1', '--json'], env);
    expect(mine.code, mine.stderr).toBe(0);
    const page = JSON.parse(mine.stdout) as Page<JobRun>;
    expect(page).toMatchObject({ total: 2, limit: 1 });
    expect(page.items[0]).toMatchObject({ job: 'country-split', status: 'succeeded' });
    expect(page.items[0].scheduled_for).not.toBe('2011-01-04T00:00:00.000Z');
  }, 30_000);
});

describe('storepulse jobs with a server running', () => {
  it('runs the job and reads the history through the server\'s API', async () => {
    const server = await startTestServer(dataDir);
    try {
      const list = await runCli(['jobs', 'list', '--json'], env);
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout).map((job: { name: string }) => job.name)).toEqual(['country-split', 'query']);

      const run = await runCli(['jobs', 'run', 'country-split', '--at', '2011-01-04T00:00:00Z'], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`country-split ran successfully: 2 countries, 3 order lines (run by the server at ${server.url})`);
      const runs = await server.app.store.listJobRuns({ job: 'country-split', limit: 1, offset: 0 });
      expect(runs.items[0]).toMatchObject({ status: 'succeeded', scheduled_for: '2011-01-04T00:00:00.000Z' });

      const history = await runCli(['jobs', 'history', '--limit', '1'], env);
      expect(history.code, history.stderr).toBe(0);
      expect(history.stdout).toMatch(new RegExp(`\\n${runs.items[0].id}\\s+country-split\\s+succeeded\\s+2011-01-04T00:00:00.000Z`));

      const unknown = await runCli(['jobs', 'run', 'broken'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/no job named "broken"; jobs are country-split, query/);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
