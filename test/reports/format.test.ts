import { describe, expect, it } from 'vitest';
import { formatChange, formatMoney, formatPeriod, formatRateChange } from '../../src/reports/format.js';

describe('report figures as text', () => {
  it('writes changes in words', () => {
    expect(formatChange(1234, 1099)).toBe('up 12.3%');
    expect(formatChange(96, 100)).toBe('down 4.0%');
    expect(formatChange(100, 100)).toBe('no change');
    expect(formatChange(5, 0)).toBe('new');
    expect(formatChange(0, 0)).toBe('no change');
    expect(formatChange(-50, -100)).toBe('up 50.0%');
    expect(formatChange(null, 12)).toBe('n/a');
    expect(formatRateChange(0.062, 0.05)).toBe('up 1.2 pts');
    expect(formatRateChange(0.02, null)).toBe('new');
  });

  it('prints money with the currency symbol and the sign before it', () => {
    expect(formatMoney(1234.5, 'GBP')).toBe('£1,234.50');
    expect(formatMoney(-12, 'EUR')).toBe('-€12.00');
    expect(formatMoney(3, 'CHF')).toBe('CHF 3.00');
    expect(formatMoney(null, 'GBP')).toBe('n/a');
  });

  it('shows the last included day of a half-open period', () => {
    expect(formatPeriod({ from: '2011-11-13', to: '2011-11-20' })).toBe('2011-11-13 to 2011-11-19 (7 days)');
    expect(formatPeriod({ from: '2011-12-31', to: '2012-01-01' })).toBe('2011-12-31 (1 day)');
    expect(formatPeriod({ from: '2012-02-28', to: '2012-03-01' })).toBe('2012-02-28 to 2012-02-29 (2 days)');
    expect(() => formatPeriod({ from: '2011-11-13', to: '13/11/2011' })).toThrow(/"to" is "13\/11\/2011"/);
  });
});
