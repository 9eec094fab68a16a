/**
 * Money is exact: amounts travel as normalized decimal strings ("2.55", "-11062.06") and are
 * summed as integers of 1/10,000 of the currency unit (MONEY_SCALE digits), never as floats.
 * The online-retail data has prices with 3 decimals, so cents alone would not be exact.
 */
import { boundedMemo } from './memo.js';

export const MONEY_SCALE = 4;
const SCALE_FACTOR = 10 ** MONEY_SCALE;
const DECIMAL_PATTERN = /^-?\d{1,13}(\.\d{1,4})?$/;

export class MoneyError extends Error {}

/**
 * Prices repeat (a shop has a price list), so a string normalized once is looked up, not parsed, after
 * that (~1 µs → ~0.05 µs an order line). Bounded in entries and in key length (a valid amount may come
 * padded with whitespace); amounts that fail are not kept.
 */
const normalizeMoneyTextOnce = boundedMemo(normalizeMoneyText, { maxEntries: 10_000, maxKeyLength: 32 });

/** Normalizes a number or decimal string to a canonical decimal string, or throws MoneyError. */
export function normalizeMoney(input: number | string): string {
  if (typeof input === 'string') return normalizeMoneyTextOnce(input);
  return normalizeMoneyText(normalizeMoneyNumber(input));
}

function normalizeMoneyNumber(input: number): string {
  if (!Number.isFinite(input)) throw new MoneyError(`${input} is not a finite amount`);
  // Shortest round-trip representation; rejects amounts with more than MONEY_SCALE decimals below.
  const text = String(input);
  if (/e/i.test(text)) throw new MoneyError(`${text} is out of range for an amount`);
  return text;
}

function normalizeMoneyText(input: string): string {
  const text = input.trim();
  if (!DECIMAL_PATTERN.test(text)) {
    throw new MoneyError(`"${truncate(text)}" is not a decimal amount with at most ${MONEY_SCALE} decimals`);
  }
  return formatMoneyUnits(moneyToUnits(text));
}

/** Decimal string → integer units of 10^-MONEY_SCALE. Assumes a string that passed normalizeMoney. */
export function moneyToUnits(decimal: string): number {
  const negative = decimal.startsWith('-');
  const unsigned = negative ? decimal.slice(1) : decimal;
  const [whole, fraction = ''] = unsigned.split('.');
  const units = Number(whole) * SCALE_FACTOR + Number(fraction.padEnd(MONEY_SCALE, '0'));
  return negative ? -units : units;
}

/** Integer units → decimal string with at least 2 decimals ("2.55", "0.001", "-5.00"). */
export function formatMoneyUnits(units: number): string {
  const negative = units < 0;
  const absolute = Math.abs(Math.round(units));
  const whole = Math.floor(absolute / SCALE_FACTOR);
  let fraction = String(absolute % SCALE_FACTOR).padStart(MONEY_SCALE, '0');
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative && absolute !== 0 ? '-' : ''}${whole}.${fraction}`;
}

/** Rounds units to cents for display: 97477479340 → "9747747.93". */
export function formatMoneyCents(units: number): string {
  const cents = Math.round(units / (SCALE_FACTOR / 100));
  const negative = cents < 0;
  const absolute = Math.abs(cents);
  return `${negative ? '-' : ''}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
