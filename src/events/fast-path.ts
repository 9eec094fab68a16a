/**
 * A hand-written check for the two most frequent event shapes (orders and product views), used
 * before zod on the ingest path, where zod's general machinery cost ~17 µs an order. It only
 * ever says "valid, and here is exactly what the schema would output" or "ask zod": anything
 * unusual (unknown keys aside, which zod strips too) returns undefined, so zod stays the single
 * authority on what is rejected and why. test/events/fast-path.test.ts checks the equivalence.
 * It also leaves to zod any event holding an object or array where none is read (an unknown key):
 * what it accepts nests at most three levels, so ingest bounds the depth of the rest only.
 */
import { normalizeMoney } from './money.js';
import { parseZonedTimestamp } from './time.js';
import { newEventId } from './ids.js';
import type { OrderEvent, OrderLine, ProductViewEvent, StorepulseEvent } from './schemas.js';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_LINES = 20_000;
const MAX_QUANTITY = 1_000_000_000;

type Raw = Record<string, unknown>;

export interface FastCheckOptions {
  /**
   * The caller knows that no string of `raw` holds a control character (see
   * withoutControlCharacters in request-body.ts), so the check per string is skipped: ~25 µs a request of 100 orders.
   */
  withoutControlCharacters?: boolean;
}

/** Set for the duration of one fastCheckEvent call (which is synchronous), rather than passed to every helper. */
let stringsKnownClean = false;

/** The schema's output for `raw`, when it is a plainly valid order or product view; else undefined. */
export function fastCheckEvent(raw: unknown, options: FastCheckOptions = {}): StorepulseEvent | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const event = raw as Raw;
  stringsKnownClean = options.withoutControlCharacters === true;
  try {
    if (event.type === 'order') return fastOrder(event);
    if (event.type === 'product_view') return fastProductView(event);
  } catch {
    // A timestamp or an amount the helpers refuse: zod reports it with the field.
  } finally {
    stringsKnownClean = false;
  }
  return undefined;
}

function fastOrder(raw: Raw): OrderEvent | undefined {
  const base = fastBase(raw);
  if (!base || !isText(raw.order_id, 128, 1) || !isCurrency(raw.currency) || !onlyFlatValuesBut(raw, 'lines')) return undefined;
  if (raw.cancellation !== undefined && typeof raw.cancellation !== 'boolean') return undefined;
  const customerId = optionalId(raw.customer_id);
  const sellerId = optionalId(raw.seller_id);
  if (customerId === false || sellerId === false || !isOptionalText(raw.country, 80, 1)) return undefined;
  if (!Array.isArray(raw.lines) || raw.lines.length === 0 || raw.lines.length > MAX_LINES) return undefined;
  const lines: OrderLine[] = [];
  for (const candidate of raw.lines) {
    const line = fastLine(candidate);
    if (!line) return undefined;
    lines.push(line);
  }
  // Properties written out, not spread: a spread here cost more than the rest of the check.
  return {
    id: base.id, ts: base.ts, source: base.source, type: 'order', order_id: raw.order_id as string, customer_id: customerId, country: raw.country as string | undefined,
    seller_id: sellerId, currency: raw.currency as string, cancellation: (raw.cancellation as boolean | undefined) ?? false, lines,
  };
}

function fastLine(candidate: unknown): OrderLine | undefined {
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) return undefined;
  const line = candidate as Raw;
  if (!isText(line.product_id, 128, 1) || !isOptionalText(line.description, 1000, 0) || !onlyFlatValuesBut(line, undefined)) return undefined;
  const quantity = line.quantity;
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity === 0 || Math.abs(quantity) > MAX_QUANTITY) return undefined;
  const kind = line.kind ?? 'product';
  if (kind !== 'product' && kind !== 'fee' && kind !== 'adjustment') return undefined;
  if (typeof line.unit_price !== 'string' && typeof line.unit_price !== 'number') return undefined;
  const unitPrice = normalizeMoney(line.unit_price);
  if (kind !== 'adjustment' && unitPrice.startsWith('-')) return undefined;
  return { product_id: line.product_id as string, description: line.description as string | undefined, quantity, unit_price: unitPrice, kind };
}

function fastProductView(raw: Raw): ProductViewEvent | undefined {
  const base = fastBase(raw);
  if (!base || !isText(raw.product_id, 128, 1) || !onlyFlatValuesBut(raw, undefined)) return undefined;
  const sessionId = optionalId(raw.session_id);
  const customerId = optionalId(raw.customer_id);
  if (sessionId === false || customerId === false) return undefined;
  if (!isOptionalText(raw.country, 80, 1) || !isOptionalText(raw.location, 80, 0)) return undefined;
  return {
    id: base.id, ts: base.ts, source: base.source, type: 'product_view', product_id: raw.product_id as string, session_id: sessionId, customer_id: customerId,
    country: raw.country as string | undefined, location: raw.location as string | undefined,
  };
}

function fastBase(raw: Raw): { id: string; ts: string; source: string } | undefined {
  if (raw.id !== undefined && !isText(raw.id, 128, 1)) return undefined;
  if (raw.source !== undefined && !isText(raw.source, 64, 0)) return undefined;
  if (typeof raw.ts !== 'string' && typeof raw.ts !== 'number') return undefined;
  return { id: (raw.id as string | undefined) ?? newEventId(), ts: parseZonedTimestamp(raw.ts), source: (raw.source as string | undefined) ?? 'api' };
}

/** True when no property but `nested` holds an object or array. */
function onlyFlatValuesBut(raw: Raw, nested: string | undefined): boolean {
  for (const key in raw) {
    const value = raw[key];
    if (typeof value === 'object' && value !== null && key !== nested) return false;
  }
  return true;
}

/** An optional id: the string, undefined for absent/null, or false for anything zod would refuse. */
function optionalId(value: unknown): string | undefined | false {
  if (value === undefined || value === null) return undefined;
  return isText(value, 128, 1) ? (value as string) : false;
}

function isText(value: unknown, max: number, min: number): boolean {
  return typeof value === 'string' && value.length >= min && value.length <= max && (stringsKnownClean || !CONTROL_CHARACTER.test(value));
}

function isOptionalText(value: unknown, max: number, min: number): boolean {
  return value === undefined || isText(value, max, min);
}

function isCurrency(value: unknown): boolean {
  return typeof value === 'string' && CURRENCY.test(value);
}
