import { describe, expect, it } from 'vitest';
import {
  bestDatesSpec, highAttentionSpec, mostOrdersSpec, mostRevenueSpec, mostSoldSpec, revenueByCategorySpec, revenueByCountrySpec,
} from '../../src/reports/charts.js';
import { renderSpecToSvg } from '../../src/reports/svg.js';
import { ACCENTED_NAME, HOSTILE_NAME, weekReportInput } from './fixtures.js';

interface SvgText { x: number; y: number; anchor: string; text: string }

/** The <text> elements of an SVG with their position and decoded content. */
function svgTexts(svg: string): SvgText[] {
  return [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)].map((match) => {
    const [, x, y] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(match[1]) ?? [];
    return {
      x: Number(x), y: Number(y), anchor: /text-anchor="(\w+)"/.exec(match[1])?.[1] ?? '',
      text: match[2].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
    };
  });
}

const input = weekReportInput();

describe('chart specs rendered to SVG', () => {
  it('labels product bars with the name and id, largest at the top, and prints each figure', async () => {
    const texts = svgTexts(await renderSpecToSvg(mostSoldSpec(input.mostSold, { currency: 'GBP' })));
    const label = (id: string) => texts.find((text) => text.text.endsWith(`· ${id}`));
    expect(label('85123A')?.text).toBe('WHITE HANGING HEART T-LIGHT HOLDER · 85123A');
    expect(label('X-ACC')?.text).toBe(`${ACCENTED_NAME} · X-ACC`);
    expect(texts.some((text) => text.text === '90999')).toBe(true);
    expect(label('84077')!.y).toBeLessThan(label('85123A')!.y);
    expect(label('85123A')!.y).toBeLessThan(label('84879')!.y);
    expect(texts.map((text) => text.text)).toEqual(expect.arrayContaining(['4,320', '2,791', '512']));
  });

  it('escapes hostile names and cuts long ones with an ellipsis, keeping the id', async () => {
    const svg = await renderSpecToSvg(mostSoldSpec(input.mostSold));
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain(HOSTILE_NAME);
    const hostile = svgTexts(svg).find((text) => text.text.endsWith('· X-HOST'));
    expect(hostile?.text).toBe('</text><script>alert("x")</script… · X-HOST');
  });

  it('prints money with the currency symbol, inside long bars and after short ones', async () => {
    const texts = svgTexts(await renderSpecToSvg(mostRevenueSpec(input.mostRevenue, { currency: 'EUR' })));
    const top = texts.find((text) => text.text === '€14,821.50');
    const short = texts.find((text) => text.text === '€1,888.00');
    expect(top?.anchor).toBe('end');
    expect(short?.anchor).toBe('start');
    expect(texts.some((text) => text.text.startsWith('£'))).toBe(false);
  });

  it('ranks best dates by revenue with their weekday, and countries and categories by revenue', async () => {
    const days = svgTexts(await renderSpecToSvg(bestDatesSpec(input.bestDates)));
    const dayTop = (day: string) => days.find((text) => text.text.startsWith(day))!;
    expect(dayTop('2011-11-17').text).toBe('2011-11-17  Thu');
    expect(dayTop('2011-11-17').y).toBeLessThan(dayTop('2011-11-14').y);
    expect(dayTop('2011-11-15').y).toBeLessThan(dayTop('2011-11-13').y);
    const countries = svgTexts(await renderSpecToSvg(revenueByCountrySpec(input.revenueByCountry)));
    const countryTop = (name: string) => countries.find((text) => text.text === name)!.y;
    expect(countryTop('United Kingdom')).toBeLessThan(countryTop('EIRE'));
    expect(countryTop('EIRE')).toBeLessThan(countryTop('Germany'));
    const categories = svgTexts(await renderSpecToSvg(revenueByCategorySpec(input.revenueByCategory)));
    expect(categories.map((text) => text.text)).toEqual(expect.arrayContaining(['Home décor', 'Kitchen & dining', '£98,000.00']));
  });

  it('draws the most-orders and high-attention rankings with product names', async () => {
    const orders = svgTexts(await renderSpecToSvg(mostOrdersSpec(input.mostOrders)));
    expect(orders.map((text) => text.text)).toContain('Łódź ceramic mug – Škoda green · X-EXT');
    const attention = svgTexts(await renderSpecToSvg(highAttentionSpec(input.highAttention)));
    expect(attention.map((text) => text.text)).toEqual(expect.arrayContaining(['RABBIT NIGHT LIGHT · 23084', '1,830']));
  });

  it('is plain JSON with the rows inlined, and rendering leaves the spec and rows as they were', async () => {
    const rows = weekReportInput().mostSold;
    const rowsBefore = JSON.parse(JSON.stringify(rows));
    const spec = mostSoldSpec(rows, { width: 400 });
    const specBefore = JSON.parse(JSON.stringify(spec));
    expect(specBefore).toEqual(spec);
    expect(spec).toMatchObject({ width: 400, data: { values: rowsBefore }, config: { font: 'Inter' } });
    const svg = await renderSpecToSvg(spec);
    expect(svg).toMatch(/^<svg[^>]* width="400"/);
    expect(spec).toEqual(specBefore);
    expect(rows).toEqual(rowsBefore);
  });

  it('prints a negative figure right of zero, clear of its bar, and zero as "0" on SI ticks', async () => {
    const rows = [...input.revenueByCountry, { country: 'Unspecified', revenue: -850.5, orders: 3 }];
    const texts = svgTexts(await renderSpecToSvg(revenueByCountrySpec(rows)));
    const negative = texts.find((text) => text.text === '-£850.50');
    const zeroTick = texts.find((text) => text.text === '0');
    expect(negative?.anchor).toBe('start');
    expect(zeroTick).toBeDefined();
    expect(negative!.x).toBeGreaterThan(zeroTick!.x);
    expect(texts.some((text) => text.text === '0k')).toBe(false);
  });

  it('renders a chart with no rows', async () => {
    const svg = await renderSpecToSvg(mostSoldSpec([]));
    expect(svg).toMatch(/^<svg[^>]* width="515"/);
  });
});
