/**
 * Turns the user-facing KPI parameters (API query string, CLI flags) into a KpiQuery, with errors
 * that say which parameter is wrong. `from`/`to` are dates (in the shop's zone) or zoned instants;
 * the range is half-open [from, to). Without them, a KPI covers all history.
 */
import { z } from 'zod';
import { parseBound, TimeError } from '../events/time.js';
import type { KpiQuery } from './port.js';

export class KpiRequestError extends Error {}

export const KpiRequest = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  country: z.string().min(1).max(80).optional(),
  seller: z.string().min(1).max(128).optional(),
  limit: z.coerce.number({ message: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit must be at least 1').max(100_000, 'limit must be at most 100000').optional(),
});
export type KpiRequest = z.input<typeof KpiRequest>;

const ALL_HISTORY_FROM_MS = Date.UTC(1990, 0, 1);
const ALL_HISTORY_TO_MS = Date.UTC(2200, 0, 1);
const DEFAULT_LIMIT = 10;

export function resolveKpiQuery(input: KpiRequest, timeZone: string, defaultLimit = DEFAULT_LIMIT): KpiQuery {
  const parsed = KpiRequest.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KpiRequestError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const request = parsed.data;
  const fromMs = request.from ? bound('from', request.from, timeZone) : ALL_HISTORY_FROM_MS;
  const toMs = request.to ? bound('to', request.to, timeZone) : ALL_HISTORY_TO_MS;
  if (toMs <= fromMs) throw new KpiRequestError(`to (${request.to}) must be after from (${request.from})`);
  return { fromMs, toMs, country: request.country, seller: request.seller, limit: request.limit ?? defaultLimit };
}

function bound(name: string, value: string, timeZone: string): number {
  try {
    return parseBound(value, timeZone);
  } catch (error) {
    const reason = error instanceof TimeError ? error.message : String(error);
    throw new KpiRequestError(`${name}: ${reason}; use a date like 2011-11-14 or an ISO-8601 timestamp with a zone`);
  }
}
