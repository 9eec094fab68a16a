/**
 * The hot window of the OLTP store (DESIGN §4): the order rows of the last STOREPULSE_HOT_DAYS
 * shop days, like the Diskovery capped collection. The retention job prunes what ages out of it,
 * and the pipeline applies the same bound on write: an order already outside the window (a file
 * of last year's sales) updates customers, stock and the catalog, but its rows go to the
 * warehouse only, instead of into the store until the next retention run deletes them.
 */
import { localDate, startOfLocalDay } from '../events/time.js';

export interface HotWindow {
  /** The first shop day kept. */
  firstDay: string;
  /** The first instant kept, ISO UTC (comparable with the stored `ts` strings). */
  from: string;
}

/**
 * The window at `at`: `hotDays` whole days before the day of `at` (whose own orders are kept too).
 * At 00:30 on 2011-12-10 with 7 days, orders from 2011-12-03 on are hot.
 */
export function hotWindowAt(at: Date, hotDays: number, timeZone: string): HotWindow {
  const firstDay = shiftDate(localDate(at.getTime(), timeZone), -hotDays);
  // No event is older than the earliest timestamp taken: a window reaching further keeps everything.
  if (firstDay < EARLIEST_DAY) return { firstDay, from: new Date(`${EARLIEST_DAY}T00:00:00Z`).toISOString() };
  return { firstDay, from: new Date(startOfLocalDay(firstDay, timeZone)).toISOString() };
}

/** The first day of the timestamps events may carry (time.ts). */
const EARLIEST_DAY = '1990-01-01';

/** A calendar date (YYYY-MM-DD) moved by whole days. */
export function shiftDate(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
