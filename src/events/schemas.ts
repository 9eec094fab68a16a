/**
 * The event contracts of DESIGN §3: one zod schema per type. The output of each schema is itself
 * valid input (ids assigned, `ts` as ISO UTC, money as normalized decimal strings), so the log
 * stores validated events and the consumer can validate them again without changing them.
 */
import { z } from 'zod';
import { MoneyError, normalizeMoney } from './money.js';
import { TimeError, parseZonedTimestamp } from './time.js';
import { newEventId } from './ids.js';
import { fastCheckEvent, type FastCheckOptions } from './fast-path.js';
import { LINE_KINDS } from './line-kinds.js';

export const EVENT_TYPES = ['order', 'product_view', 'cart_add', 'restock', 'product', 'probe'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export { LINE_KINDS, type LineKind } from './line-kinds.js';

// Printable text without control characters; stored as data everywhere (parameterized SQL).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
const text = (max: number) =>
  z.string().max(max, `must be at most ${max} characters`).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');
const identifier = (max = 128) => text(max).min(1, 'must not be empty');

export const EventId = identifier(128);
export const ProductId = identifier(128);

const Timestamp = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseZonedTimestamp(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof TimeError ? error.message : 'invalid timestamp' });
    return z.NEVER;
  }
});

export const Money = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return normalizeMoney(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof MoneyError ? error.message : 'invalid amount' });
    return z.NEVER;
  }
});

const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code like GBP');
const Country = text(80).min(1).optional();
const OptionalId = identifier(128).nullish().transform((value) => value ?? undefined);
const Quantity = z.number().int('must be an integer').min(-1_000_000_000).max(1_000_000_000);

const base = {
  id: EventId.optional().transform((value) => value ?? newEventId()),
  ts: Timestamp,
  source: text(64).default('api'),
};

export const OrderLine = z
  .object({
    product_id: ProductId,
    description: text(1000).optional(),
    quantity: Quantity.refine((quantity) => quantity !== 0, 'must not be zero'),
    unit_price: Money,
    kind: z.enum(LINE_KINDS).default('product'),
  })
  .refine((line) => line.kind === 'adjustment' || !line.unit_price.startsWith('-'), {
    path: ['unit_price'],
    message: 'must not be negative except on adjustment lines',
  });
export type OrderLine = z.output<typeof OrderLine>;

export const OrderEvent = z.object({
  ...base,
  type: z.literal('order'),
  order_id: identifier(128),
  customer_id: OptionalId,
  country: Country,
  seller_id: OptionalId,
  currency: Currency,
  /** A cancellation or return (online-retail `C…` invoices): counted in orders, not in order-based rankings. */
  cancellation: z.boolean().default(false),
  lines: z.array(OrderLine).min(1, 'an order needs at least one line').max(20_000),
});

export const ProductViewEvent = z.object({
  ...base,
  type: z.literal('product_view'),
  product_id: ProductId,
  session_id: OptionalId,
  customer_id: OptionalId,
  country: Country,
  location: text(80).optional(),
});

export const CartAddEvent = z.object({
  ...base,
  type: z.literal('cart_add'),
  product_id: ProductId,
  quantity: Quantity.refine((quantity) => quantity > 0, 'must be positive'),
  session_id: OptionalId,
});

export const RestockEvent = z.object({
  ...base,
  type: z.literal('restock'),
  product_id: ProductId,
  quantity: Quantity.refine((quantity) => quantity > 0, 'must be positive'),
  supplier: text(200).optional(),
});

const DetailValue = z.union([text(1000), z.number().finite(), z.boolean(), z.null()]);

export const ProductEvent = z.object({
  ...base,
  type: z.literal('product'),
  product_id: ProductId,
  name: text(500).min(1),
  price: Money,
  currency: Currency,
  category: text(200).optional(),
  brand: text(200).optional(),
  seller_id: OptionalId,
  kind: z.enum(LINE_KINDS).default('product'),
  instock: Quantity.min(0).optional(),
  details: z.record(text(100), DetailValue).refine((record) => Object.keys(record).length <= 100, 'at most 100 attributes').optional(),
});

export const ProbeEvent = z.object({
  ...base,
  type: z.literal('probe'),
  location: text(80).min(1),
  target: text(2000).min(1),
  ok: z.boolean(),
  status: z.number().int().min(0).max(999).optional(),
  latency_ms: z.number().finite().min(0).max(3_600_000),
});

export const StorepulseEvent = z.discriminatedUnion('type', [
  OrderEvent, ProductViewEvent, CartAddEvent, RestockEvent, ProductEvent, ProbeEvent,
]);

export type StorepulseEvent = z.output<typeof StorepulseEvent>;
export type StorepulseEventInput = z.input<typeof StorepulseEvent>;
export type OrderEvent = z.output<typeof OrderEvent>;
export type ProductViewEvent = z.output<typeof ProductViewEvent>;
export type CartAddEvent = z.output<typeof CartAddEvent>;
export type RestockEvent = z.output<typeof RestockEvent>;
export type ProductEvent = z.output<typeof ProductEvent>;
export type ProbeEvent = z.output<typeof ProbeEvent>;

/** One reason an event was not taken: where (index in the request, dotted field path) and why. */
export interface EventProblem {
  index: number;
  id?: string;
  field: string;
  reason: string;
}

export type EventCheck = { ok: true; event: StorepulseEvent } | { ok: false; problem: EventProblem };

/** Validates one raw event, naming the first offending field. */
export function checkEvent(raw: unknown, index: number, options?: FastCheckOptions): EventCheck {
  const fast = fastCheckEvent(raw, options);
  if (fast) return { ok: true, event: fast };
  return checkEventWithSchema(raw, index);
}

/** checkEvent without the fast path: for callers that ran fastCheckEvent themselves. */
export function checkEventWithSchema(raw: unknown, index: number): EventCheck {
  const result = StorepulseEvent.safeParse(raw);
  if (result.success) return { ok: true, event: result.data };
  const issue = result.error.issues[0];
  const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
  return { ok: false, problem: { index, id, field: issue.path.join('.') || '(event)', reason: describeIssue(issue, raw) } };
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === 'invalid_union' && issue.path.length === 0) {
    const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
    return `type ${JSON.stringify(type)} is not one of ${EVENT_TYPES.join(', ')}`;
  }
  return issue.message;
}
