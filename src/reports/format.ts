/** Display text for report figures: money with the currency symbol, counts, rates and changes. */

const CURRENCY_SYMBOLS: Record<string, string> = { GBP: '£', EUR: '€', USD: '$' };
const DAY_MS = 86_400_000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const moneyNumber = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const countNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** "£" for GBP; other codes print as the code and a space ("CHF "), which every font has. */
export function currencySymbol(currency: string): string {
  const code = currency.trim().toUpperCase();
  return CURRENCY_SYMBOLS[code] ?? `${code} `;
}

/** 1234.5 → "£1,234.50"; -12 → "-£12.00"; null → "n/a". */
export function formatMoney(amount: number | null, currency: string): string {
  if (amount === null || !Number.isFinite(amount)) return 'n/a';
  const sign = amount < 0 && Math.abs(amount) >= 0.005 ? '-' : '';
  return `${sign}${currencySymbol(currency)}${moneyNumber.format(Math.abs(amount))}`;
}

export function formatCount(value: number): string {
  return countNumber.format(value);
}

/** 0.0345 → "3.5%"; null → "n/a". */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return 'n/a';
  return `${(rate * 100).toFixed(1)}%`;
}

/**
 * Change of an amount against the previous period, in words (the latin font subset has no
 * arrows): "up 12.3%", "down 4.0%", "no change", "new" when the previous period had none.
 */
export function formatChange(current: number | null, previous: number | null): string {
  if (current === null) return 'n/a';
  if (previous === null || previous === 0) return current === 0 ? 'no change' : 'new';
  const percent = ((current - previous) / Math.abs(previous)) * 100;
  return directionText(percent, `${Math.abs(percent).toFixed(1)}%`);
}

/** Change of a rate in percentage points: 0.05 → 0.062 is "up 1.2 pts". */
export function formatRateChange(current: number | null, previous: number | null): string {
  if (current === null) return 'n/a';
  if (previous === null) return 'new';
  const points = (current - previous) * 100;
  return directionText(points, `${Math.abs(points).toFixed(1)} pts`);
}

function directionText(delta: number, magnitude: string): string {
  if (Math.abs(delta) < 0.05) return 'no change';
  return `${delta > 0 ? 'up' : 'down'} ${magnitude}`;
}

/** Half-open period → "2011-11-13 to 2011-11-19 (7 days)", showing the last included day. */
export function formatPeriod(period: { from: string; to: string }): string {
  const fromMs = parseDay(period.from, 'from');
  const toMs = parseDay(period.to, 'to');
  const days = Math.round((toMs - fromMs) / DAY_MS);
  if (days < 1) throw new RangeError(`report period ${period.from} to ${period.to} is empty: "to" is exclusive and must be after "from"`);
  const lastDay = new Date(toMs - DAY_MS).toISOString().slice(0, 10);
  if (days === 1) return `${period.from} (1 day)`;
  return `${period.from} to ${lastDay} (${days} days)`;
}

/** "2011-11-20 23:00 UTC" */
export function formatGeneratedAt(when: Date): string {
  return `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function parseDay(text: string, name: string): number {
  const ms = DATE_PATTERN.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`report period "${name}" is "${text}", expected a date like 2011-11-13`);
  return ms;
}
