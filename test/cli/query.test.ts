import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShop, runCli, seedShop, startTestServer } from './helpers.js';

const HEADER = 'day,ts,order_id,line_no,customer_id,country,seller_id,product_id,product_name,category,kind,cancellation,quantity,unit_price,amount,currency,event_id';
const FRANCE_JANUARY = [
  HEADER,
  '2011-01-03,2011-01-03T10:00:00.000Z,F1,1,C1,France,,P1,P1,,product,false,2,2.5000,5.0000,GBP,F1',
  '2011-01-03,2011-01-03T10:00:00.000Z,F1,2,C1,France,,P2,P2,,product,false,1,0.8500,0.8500,GBP,F1',
  '2011-01-04,2011-01-04T09:00:00.000Z,CF2,1,C1,France,,P1,P1,,product,true,-1,2.5000,-2.5000,GBP,CF2',
  '',
].join('\n');

let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storepulse-cli-query-'));
  env = { STOREPULSE_DATA_DIR: dataDir };
  await seedShop(dataDir);
}, 60_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('storepulse query', () => {
  it('without a server: runs the query here, prints where the CSV is, records the run and the notification', async () => {
    const out = path.join(dataDir, 'france.csv');
    const result = await runCli(['query', '--from', '2011-01-01', '--to', '2011-02-01', '--country', 'france', '--out', out], env);
    expect(result.code, result.stderr).toBe(0);
    const [first, second] = result.stdout.split('\n');
    const file = /^Your query has been processed: (.+)$/.exec(first)?.[1];
    expect(file).toMatch(new RegExp(`^${dataDir}/buckets/exports/queries/q_[a-z0-9_]+\\.csv$`));
    expect(second).toMatch(/^3 order lines of France from 2011-01-01T00:00:00.000Z to 2011-02-01T00:00:00.000Z \(query q_/);
    expect(fs.readFileSync(file!, 'utf8')).toBe(FRANCE_JANUARY);
    expect(fs.readFileSync(out, 'utf8')).toBe(FRANCE_JANUARY);

    const app = await openShop(dataDir);
    try {
      const [query] = (await app.store.listQueries({ limit: 1, offset: 0 })).items;
      expect(query).toMatchObject({ status: 'done', rows: 3, country: 'France' });
      const notices = (await app.store.listNotifications({ limit: 5, offset: 0 })).items.map((notice) => notice.message);
      expect(notices).toContain(`Your query has been processed: ${app.baseUrl}/api/queries/${query.id}/download`);
      expect((await app.store.listJobRuns({ job: 'query', limit: 1, offset: 0 })).items[0]).toMatchObject({ status: 'succeeded' });
    } finally {
      await app.close();
    }
  }, 30_000);

  it('says why a request is refused, with exit code 2', async () => {
    const country = await runCli(['query', '--from', '2011-01-01', '--to', '2011-02-01', '--country', 'Netherland'], env);
    expect(country.code).toBe(2);
    expect(country.stderr).toMatch(/^storepulse query: country "Netherland" is unknown: did you mean Netherlands\?/);
    const dates = await runCli(['query', '--from', '2011-01-32', '--to', '2011-02-01', '--country', 'France'], env);
    expect(dates.code).toBe(2);
    expect(dates.stderr).toMatch(/^storepulse query: from: .*2011-01-32/);
  }, 30_000);

  it('with a server: submits to its API, waits until done and prints the download link', async () => {
    const server = await startTestServer(dataDir);
    try {
      const out = path.join(dataDir, 'france-from-server.csv');
      const result = await runCli(['query', '--from', '2011-01-01', '--to', '2011-02-01', '--country', 'France', '--out', out], env);
      expect(result.code, result.stderr).toBe(0);
      const link = /^Your query has been processed: (\S+)$/m.exec(result.stdout)?.[1];
      expect(link).toMatch(new RegExp(`^${server.url}/api/queries/q_[a-z0-9_]+/download$`));
      expect(fs.readFileSync(out, 'utf8')).toBe(FRANCE_JANUARY);
      const notices = (await server.app.store.listNotifications({ limit: 5, offset: 0 })).items;
      expect(notices.map((notice) => notice.message)).toContain(`Your query has been processed: ${link}`);

      const refused = await runCli(['query', '--from', '2011-01-01', '--to', '2011-02-01', '--country', 'Atlantis'], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^storepulse query: country "Atlantis" is unknown/);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
