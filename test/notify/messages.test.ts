import { describe, expect, it } from 'vitest';
import { failureMessage, formatNumber, subjectOf, successMessage } from '../../src/notify/messages.js';
import { backoffDelayMs, describeError, withRetry } from '../../src/notify/retry.js';

describe('notification wording', () => {
  it('formats counts with thousands separators', () => {
    expect(formatNumber(541909)).toBe('541,909');
    expect(formatNumber(25900)).toBe('25,900');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-1234567)).toBe('-1,234,567');
    expect(formatNumber(1234.5)).toBe('1,234.5');
    expect(formatNumber(12345678901234567890n)).toBe('12,345,678,901,234,567,890');
  });

  it('reads like the design says', () => {
    expect(successMessage('inbox', `online-retail.csv, ${formatNumber(541909)} rows, ${formatNumber(25900)} orders`))
      .toBe('inbox ran successfully: online-retail.csv, 541,909 rows, 25,900 orders');
    expect(failureMessage('inbox', 'line 1042: Quantity "abc" is not an integer'))
      .toBe('inbox failed due to line 1042: Quantity "abc" is not an integer');
  });

  it('takes the subject from the first line', () => {
    expect(subjectOf('weekly-report ran successfully: 7 days\nmore detail')).toBe('weekly-report ran successfully: 7 days');
    expect(subjectOf('x'.repeat(300)).length).toBe(200);
  });
});

describe('retry', () => {
  it('doubles the wait after each failure and rethrows the last error', async () => {
    const waits: number[] = [];
    let calls = 0;
    const attempt = withRetry({ attempts: 4, baseDelayMs: 500 }, async (n) => {
      calls += 1;
      throw new Error(`failure ${n}`);
    }, { sleep: async (ms) => { waits.push(ms); } });
    await expect(attempt).rejects.toThrow('failure 4');
    expect(calls).toBe(4);
    expect(waits).toEqual([500, 1000, 2000]);
    expect(backoffDelayMs({ attempts: 3, baseDelayMs: 500 }, 3)).toBe(2000);
  });

  it('stops at the first success', async () => {
    let calls = 0;
    const value = await withRetry({ attempts: 5, baseDelayMs: 0 }, async () => {
      calls += 1;
      if (calls < 2) throw new Error('transient');
      return 'done';
    });
    expect(value).toBe('done');
    expect(calls).toBe(2);
  });

  it('names the cause of an error', () => {
    expect(describeError(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })))
      .toBe('fetch failed (connect ECONNREFUSED 127.0.0.1:9)');
    expect(describeError('plain')).toBe('plain');
  });
});
