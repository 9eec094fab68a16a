/**
 * Storefront checks from a few places: latency grows with distance, about 1% fail, and now and
 * then one location has a bad half hour, so the stability view has something to show.
 */
import type { StorepulseEventInput } from '../events/schemas.js';
import type { Random } from './random.js';

type ProbeInput = Extract<StorepulseEventInput, { type: 'probe' }>;

export interface ProbeLocation {
  name: string;
  medianLatencyMs: number;
}

export const PROBE_LOCATIONS: ProbeLocation[] = [
  { name: 'London', medianLatencyMs: 38 },
  { name: 'Frankfurt', medianLatencyMs: 55 },
  { name: 'Virginia', medianLatencyMs: 98 },
  { name: 'Singapore', medianLatencyMs: 215 },
];

export const PROBE_TARGET = 'https://shop.example.com/';
export const PROBE_INTERVAL_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;
const BASE_FAILURE_RATE = 0.009;
const SERVER_ERRORS = [500, 502, 503];

export interface ProbeIncident {
  location: string;
  fromMs: number;
  toMs: number;
}

export function probeEvent(location: ProbeLocation, random: Random, ts: number, id: string, source: string, degraded = false): ProbeInput {
  const probe: ProbeInput = { id, type: 'probe', ts, source, location: location.name, target: PROBE_TARGET, ok: true, status: 200, latency_ms: 0 };
  if (random.chance(degraded ? 0.3 : BASE_FAILURE_RATE)) {
    probe.ok = false;
    if (random.chance(0.5)) {
      probe.status = undefined;
      probe.latency_ms = TIMEOUT_MS;
    } else {
      probe.status = random.pick(SERVER_ERRORS);
      probe.latency_ms = roundLatency(random.logNormal(location.medianLatencyMs * 2, 0.5));
    }
    return probe;
  }
  const median = location.medianLatencyMs * (degraded ? 3 : 1);
  probe.latency_ms = roundLatency(Math.min(TIMEOUT_MS - 1, random.logNormal(median, 0.3)));
  return probe;
}

/** One day of probes every PROBE_INTERVAL_MS from every location, with at most one incident. */
export function probesOfDay(dayStartMs: number, random: Random, nextId: () => string, source: string): ProbeInput[] {
  const incident = random.chance(0.3) ? randomIncident(dayStartMs, random) : undefined;
  const probes: ProbeInput[] = [];
  for (let slot = dayStartMs; slot < dayStartMs + 86_400_000; slot += PROBE_INTERVAL_MS) {
    for (const location of PROBE_LOCATIONS) {
      const ts = slot + random.int(0, 20_000);
      const degraded = incident?.location === location.name && ts >= incident.fromMs && ts < incident.toMs;
      probes.push(probeEvent(location, random, ts, nextId(), source, degraded));
    }
  }
  return probes;
}

function randomIncident(dayStartMs: number, random: Random): ProbeIncident {
  const fromMs = dayStartMs + random.int(0, 23 * 60) * 60_000;
  return { location: random.pick(PROBE_LOCATIONS).name, fromMs, toMs: fromMs + random.int(20, 60) * 60_000 };
}

function roundLatency(ms: number): number {
  return Math.round(ms * 10) / 10;
}
