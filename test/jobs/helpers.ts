/** Shared by the job tests: a real app in a temp dir, fed with order events through the pipeline. */
import { checkEvent } from '../../src/events/schemas.js';
import type { App } from '../../src/app.js';
import type { JobContext } from '../../src/jobs/job.js';

export async function loadEvents(app: App, raw: object[]): Promise<void> {
  const events = raw.map((event, index) => {
    const checked = checkEvent(event, index);
    if (!checked.ok) throw new Error(`test event ${index} is invalid: ${JSON.stringify(checked.problem)}`);
    return checked.event;
  });
  const outcome = await app.pipeline.processValidated(events, 'test');
  if (outcome.deadLettered > 0) throw new Error(`${outcome.deadLettered} test events were dead-lettered`);
}

export function jobContext(app: App, at = new Date()): JobContext {
  return { at, signal: new AbortController().signal, logger: app.logger };
}

interface LineInput { product_id: string; quantity: number; unit_price: string; description?: string; kind?: string }

export function order(id: string, ts: string, country: string, lines: LineInput[], extra: Record<string, unknown> = {}) {
  return { id, type: 'order', ts, order_id: id, customer_id: 'C1', country, currency: 'GBP', lines, ...extra };
}
