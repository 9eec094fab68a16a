/** Seeds the demo shop once per data dir (the seed is recorded like an ingested file). */
import type { App } from '../app.js';
import { generateDemoEvents } from '../demo/generate.js';

const DEMO_SEED_MARK = 'demo-seed-v1';
const CHUNK = 2000;

export async function seedDemo(app: App): Promise<void> {
  if (await app.store.getIngestedFile(DEMO_SEED_MARK)) {
    app.logger.info('demo shop already seeded in this data dir; reusing it');
    return;
  }
  app.logger.info('seeding the demo shop (catalog, customers, four weeks of traffic)…');
  const events = generateDemoEvents({ now: new Date(), currency: app.config.currency, });
  let applied = 0;
  for (let start = 0; start < events.length; start += CHUNK) {
    const outcome = await app.pipeline.processValidated(events.slice(start, start + CHUNK), 'demo');
    applied += outcome.applied;
  }
  await app.store.recordIngestedFile({ sha256: DEMO_SEED_MARK, name: 'demo shop', format: 'demo', rows: events.length, events: events.length, failed_rows: 0, status: 'loaded' });
  app.logger.info({ events: events.length, applied }, 'demo shop seeded');
}
