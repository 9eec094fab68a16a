import { beforeAll, describe, expect, it } from 'vitest';
import { CHART_TITLES } from '../../src/reports/charts.js';
import { renderSalesReport } from '../../src/reports/pdf.js';
import { ACCENTED_NAME, LATIN_EXT_NAME, emptyWeekInput, weekReportInput } from './fixtures.js';
import { pdfLines, pdfText, sectionLines, withPdfFile, type PdfLine } from './pdf-text.js';

const HEADINGS = Object.values(CHART_TITLES);

/** Each chart's expected rows, largest first, as text that identifies the row in the PDF. */
const EXPECTED_RANKINGS: [string, string[]][] = [
  [CHART_TITLES.mostSold, ['84077', '85123A', '23084', '22197', '21212', 'X-ACC', '22086', 'X-HOST', '84879', '90999']],
  [CHART_TITLES.mostOrders, ['85123A', '22086', '23084', 'X-EXT', '22423', '47566', '22910', '22720', '21733', '22111']],
  [CHART_TITLES.mostRevenue, ['22423', 'DOT', '85123A', 'X-ACC', '23084', '22086', '22910', '47566', '22720', '21733']],
  [CHART_TITLES.bestDates, ['2011-11-17', '2011-11-14', '2011-11-16', '2011-11-18', '2011-11-15', '2011-11-13']],
  [CHART_TITLES.revenueByCountry,
    ['United Kingdom', 'EIRE', 'Germany', 'France', 'Netherlands', 'Switzerland', 'Spain', 'Belgium', 'Österreich']],
  [CHART_TITLES.revenueByCategory, ['Home décor', 'Christmas', 'Kitchen & dining', 'Party', 'Gifts', 'Postage']],
  [CHART_TITLES.highAttention, ['23084', '85123A', 'X-ACC', '22423', '21212']],
];

/** Lines that show `key` as a whole: a product id ends its chart label and fills its table cell. */
function linesShowing(lines: PdfLine[], key: string): PdfLine[] {
  return lines.filter((line) => line.text === key || line.text.endsWith(` ${key}`) || line.text.startsWith(`${key} `) ||
    line.text.includes(` ${key} `));
}

describe('renderSalesReport: a week with sales', () => {
  let text: string;
  let lines: PdfLine[];

  beforeAll(async () => {
    const pdf = await renderSalesReport(weekReportInput());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    ({ text, lines } = await withPdfFile(pdf, async (file) => ({ text: await pdfText(file), lines: await pdfLines(file) })));
  });

  it('has the title, the period with its last included day, and page footers', () => {
    expect(text).toContain('Online Retail Ltd sales report');
    expect(text).toContain('2011-11-13 to 2011-11-19 (7 days)');
    expect(text).not.toContain('2011-11-20 (');
    expect(text).toContain('Generated 2011-11-20 23:00 UTC');
    expect(text).toContain('Page 1 of 4');
    expect(text).toContain('Page 4 of 4');
  });

  it('has the headline totals with their change against the previous period', () => {
    const rows = lines.map((line) => line.text);
    for (const figure of ['1,234', '1,099', 'up 12.3%', '£287,654.32', '£298,001.10', 'down 3.5%', '£241.93', 'down 14.0%',
      '812', 'up 2.8%', '164,201', '2.1%', '2.5%', 'down 0.4 pts']) {
      expect(rows.some((row) => row.includes(figure)), figure).toBe(true);
    }
  });

  it.each(EXPECTED_RANKINGS)('draws "%s" largest first, top to bottom, with a table of the top rows', (heading, expected) => {
    const section = sectionLines(lines, heading, HEADINGS);
    const chartTops = expected.map((key) => linesShowing(section, key)[0]?.top);
    expect(chartTops.every((top) => top !== undefined), `every row of "${heading}" is labelled`).toBe(true);
    expect(chartTops).toEqual([...chartTops].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(new Set(chartTops).size).toBe(chartTops.length);
    // The table under the chart repeats the first five, in the same order.
    const tableTops = expected.slice(0, 5).map((key) => linesShowing(section, key).at(-1)?.top ?? 0);
    expect(tableTops.every((top, index) => top > (chartTops[expected.length - 1] ?? 0) && (index === 0 || top > tableTops[index - 1])))
      .toBe(true);
  });

  it('prints £, €, accents and latin-ext letters as searchable text, and hostile names as plain text', () => {
    expect(text).toContain(ACCENTED_NAME);
    expect(text).toContain(LATIN_EXT_NAME);
    expect(text).toContain('Österreich');
    expect(text).toContain('Home décor');
    expect(text).toContain('</text><script>alert("x")</script');
    expect(text).toContain('£7,610.55');
  });
});

describe('renderSalesReport: variants', () => {
  it('says there were no sales for an empty period, with zero totals, on one page', async () => {
    const text = await withPdfFile(await renderSalesReport(emptyWeekInput()), pdfText);
    expect(text).toContain('No sales in this period');
    expect(text).toContain('2011-12-18 to 2011-12-24 (7 days)');
    expect(text).toContain('£0.00');
    expect(text).toContain('down 100.0%');
    expect(text).not.toContain(CHART_TITLES.mostSold);
    expect(text).toContain('Page 1 of 1');
  });

  it('names the seller under the period', async () => {
    const input = weekReportInput({ seller: 'Łukasz Crafts € Ltd', shopName: 'Marché Zürich' });
    const text = await withPdfFile(await renderSalesReport(input), pdfText);
    expect(text).toContain('Marché Zürich sales report');
    expect(text).toContain('Seller: Łukasz Crafts € Ltd');
  });

  it('prints "new" against a previous period without sales, and euros for EUR', async () => {
    const input = weekReportInput({ currency: 'EUR', previousTotals: emptyWeekInput().totals });
    const text = await withPdfFile(await renderSalesReport(input), pdfText);
    expect(text).toContain('€287,654.32');
    expect(text).toMatch(/\bnew\b/);
    expect(text).not.toContain('£287,654.32');
  });

  it('rejects a period whose end is not after its start, naming the period', async () => {
    await expect(renderSalesReport(weekReportInput({ period: { from: '2011-11-20', to: '2011-11-13' } })))
      .rejects.toThrow(/2011-11-20 to 2011-11-13/);
  });
});
