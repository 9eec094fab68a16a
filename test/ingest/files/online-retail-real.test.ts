import { describe, expect, it } from 'vitest';
import { moneyToUnits } from '../../../src/events/money.js';
import { readEventFile } from '../../../src/ingest/files/index.js';
import { OPTIONS, expectCanonical, realData } from './helpers.js';

describe('online-retail CSV: the real UCI file', () => {
  it('imports 25,900 invoices, 541,909 lines, net 9,747,747.934, with no problems', async () => {
    const started = performance.now();
    let orderCount = 0;
    let lineCount = 0;
    let netUnits = 0;
    let problemCount = 0;
    let peakRss = 0;
    const ids = new Set<string>();
    const sample = [];
    let split;
    for await (const chunk of readEventFile(realData('online-retail.csv.gz'), { ...OPTIONS, name: 'online-retail.csv.gz' })) {
      problemCount += chunk.problems.length;
      for (const event of chunk.events) {
        if (event.type !== 'order') throw new Error(`unexpected ${event.type}`);
        orderCount++;
        ids.add(event.id);
        lineCount += event.lines.length;
        for (const line of event.lines) netUnits += line.quantity * moneyToUnits(line.unit_price);
        if (orderCount % 7 === 0) sample.push(event);
        if (event.id === 'retail:542806') split = event;
      }
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    // Figures for the report; the test asserts on content only.
    console.log(`online-retail.csv.gz: ${Math.round(performance.now() - started)} ms, peak RSS ≈ ${Math.round(peakRss / 2 ** 20)} MiB (sampled per chunk)`);
    expect(problemCount).toBe(0);
    expect(orderCount).toBe(25_900);
    expect(ids.size).toBe(25_900);
    expect(lineCount).toBe(541_909);
    expect(netUnits).toBe(moneyToUnits('9747747.934'));
    // 542806 is the one invoice whose rows are not adjacent in the file (lines 78088–78091 and 78094–).
    expect(split?.lines).toHaveLength(39);
    expect(split?.lines.slice(3, 6).map((line) => line.product_id)).toEqual(['48188', '22692', '22788']);
    expectCanonical(sample);
  });
});
