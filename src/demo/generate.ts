/**
 * The demo shop's history: catalog, weeks of visits, orders, cancellations, restocks and probes,
 * ending at `now` (floored to the hour), plus a burst of views in the last 4 hours so the
 * attention job has something to show.
 *
 * Every day is drawn from its own random stream (seed, day), and ids name the day
 * (`demo:<seed>:<day>:<n>`), so a day's events are the same whenever the demo is seeded: seeding
 * twice adds nothing, and seeding later adds only the hours that passed.
 */
import { checkEvent, type StorepulseEvent, type StorepulseEventInput } from '../events/schemas.js';
import { buildDemoCatalog, DemoDataError, type DemoCatalog } from './catalog.js';
import { probesOfDay } from './probes.js';
import { Random, WeightedPicker } from './random.js';
import { buildSession } from './sessions.js';
import { planRestocks } from './restocks.js';

export interface DemoOptions {
  now: Date;
  /** Weeks of history before `now`; default 4. */
  weeks?: number;
  seed?: number;
  /** ISO-4217; default GBP. */
  currency?: string;
  /** Path to diskover_disks.csv; default ../shared/data/diskover_disks.csv beside the repository. */
  disksCsv?: string;
}

export const DEMO_SOURCE = 'demo';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BURST_HOURS = 4;
const SESSIONS_PER_DAY = 470;

/** Relative traffic by hour of day (UTC): quiet nights, a lunch bump, the evening peak. */
const HOUR_WEIGHTS = [1.2, 0.7, 0.4, 0.3, 0.3, 0.4, 0.7, 1.2, 1.8, 2.2, 2.4, 2.6, 3.0, 2.8, 2.6, 2.6, 2.8, 3.2, 3.8, 4.4, 4.8, 4.4, 3.2, 2.0];
/** Relative traffic by day of week, Sunday first: weekends are busier. */
const WEEKDAY_WEIGHTS = [1.3, 0.9, 0.9, 0.9, 0.95, 1.0, 1.25];
const hourOfDay = new WeightedPicker(HOUR_WEIGHTS.map((_, hour) => hour), HOUR_WEIGHTS);

interface Window {
  seed: number;
  fromMs: number;
  /** `now` floored to the hour; nothing at or after it is emitted. */
  toMs: number;
}

export function generateDemoEvents(options: DemoOptions): StorepulseEvent[] {
  const window = demoWindow(options);
  const catalog = buildDemoCatalog({ seed: window.seed, currency: options.currency ?? 'GBP', disksCsv: options.disksCsv });
  const history: StorepulseEventInput[] = [];
  for (let dayStart = Math.floor(window.fromMs / DAY) * DAY; dayStart < window.toMs; dayStart += DAY) {
    history.push(...visitsOfDay(catalog, window, dayStart), ...probesInWindow(window, dayStart));
  }
  history.push(...attentionBurst(catalog, window));
  const orders = history.filter((event) => event.type === 'order').sort((a, b) => Number(a.ts) - Number(b.ts));
  const restocks = planRestocks(catalog, orders, window.toMs, (product, count) => `demo:${window.seed}:restock:${product}:${count}`, DEMO_SOURCE);
  return validated([...productEvents(catalog, window), ...history, ...restocks]);
}

function demoWindow(options: DemoOptions): Window {
  const nowMs = options.now.getTime();
  if (!Number.isFinite(nowMs)) throw new DemoDataError('demo: `now` is not a valid date');
  const weeks = options.weeks ?? 4;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new DemoDataError(`demo: weeks must be a whole number from 1 to 104, got ${weeks}`);
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new DemoDataError(`demo: seed must be an integer, got ${seed}`);
  const toMs = Math.floor(nowMs / HOUR) * HOUR;
  return { seed, fromMs: toMs - weeks * 7 * DAY, toMs };
}

function productEvents(catalog: DemoCatalog, window: Window): StorepulseEventInput[] {
  return catalog.products.map((product) => ({
    id: `demo:${window.seed}:product:${product.id}`, type: 'product', ts: window.fromMs - HOUR, source: DEMO_SOURCE,
    product_id: product.id, name: product.name, price: product.price, currency: catalog.currency, category: product.category,
    brand: product.brand, seller_id: product.sellerId, kind: 'product', instock: product.instock, details: product.details,
  }));
}

/** All of a day's visits are drawn, then cut to the window, so a day never depends on `now`. */
function visitsOfDay(catalog: DemoCatalog, window: Window, dayStart: number): StorepulseEventInput[] {
  const day = new Date(dayStart).toISOString().slice(0, 10);
  const random = Random.for(window.seed, 'visits', day);
  let eventNumber = 0;
  let orderNumber = 0;
  const sessionCount = Math.round(SESSIONS_PER_DAY * WEEKDAY_WEIGHTS[new Date(dayStart).getUTCDay()] * (0.9 + 0.2 * random.next()));
  const events: StorepulseEventInput[] = [];
  for (let sessionNumber = 0; sessionNumber < sessionCount; sessionNumber++) {
    const startMs = dayStart + hourOfDay.pick(random) * HOUR + random.int(0, HOUR - 1);
    const session = buildSession(catalog, random, {
      eventId: () => `demo:${window.seed}:${day}:${eventNumber++}`,
      orderId: () => `D${window.seed}-${day.replaceAll('-', '')}-${String(++orderNumber).padStart(4, '0')}`,
      sessionId: `s${window.seed}-${day}-${sessionNumber}`,
      source: DEMO_SOURCE,
    }, startMs);
    // A visit that began before the window is left out whole, so no cancellation lacks its order.
    if (startMs < window.fromMs) continue;
    events.push(...session.events.filter((event) => Number(event.ts) < window.toMs));
  }
  return events;
}

function probesInWindow(window: Window, dayStart: number): StorepulseEventInput[] {
  const day = new Date(dayStart).toISOString().slice(0, 10);
  let probeNumber = 0;
  const probes = probesOfDay(dayStart, Random.for(window.seed, 'probes', day), () => `demo:${window.seed}:${day}:p${probeNumber++}`, DEMO_SOURCE);
  return probes.filter((probe) => Number(probe.ts) >= window.fromMs && Number(probe.ts) < window.toMs);
}

/** A handful of products trend in the last hours: views rise towards `now`. */
function attentionBurst(catalog: DemoCatalog, window: Window): StorepulseEventInput[] {
  const random = Random.for(window.seed, 'burst', window.toMs);
  const trending = random.shuffle(catalog.products).slice(0, 6);
  const hour = new Date(window.toMs).toISOString().slice(0, 13).replace(/\D/g, '');
  const count = random.int(500, 700);
  const events: StorepulseEventInput[] = [];
  let country = '';
  for (let index = 0; index < count; index++) {
    if (index % 4 === 0) country = catalog.countryOfGuest.pick(random);
    const ago = BURST_HOURS * HOUR * (1 - Math.sqrt(random.next()));
    const product = random.chance(0.8) ? random.pick(trending) : catalog.popularity.pick(random);
    events.push({
      id: `demo:${window.seed}:burst:${hour}:${index}`, type: 'product_view', ts: Math.min(window.toMs - 1, Math.floor(window.toMs - ago)),
      source: DEMO_SOURCE, product_id: product.id, session_id: `b${window.seed}-${hour}-${Math.floor(index / 4)}`,
      country,
    });
  }
  return events;
}

/** Runs every event through the contract, as the ingest would; a failure here is a bug in the demo. */
function validated(inputs: StorepulseEventInput[]): StorepulseEvent[] {
  const events = inputs.map((input, index) => {
    const check = checkEvent(input, index);
    if (!check.ok) throw new DemoDataError(`demo: generated event ${check.problem.id ?? index} is invalid: ${check.problem.field} ${check.problem.reason}`);
    return check.event;
  });
  return events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}
