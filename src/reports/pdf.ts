/**
 * The sales report PDF: title, period, headline totals against the previous period, then one
 * section per chart (heading, vector chart, table of the top rows). A period without sales
 * gives a report that says so. The same layout serves the shop and each seller.
 */
import { DEFAULT_CHART_WIDTH } from './charts.js';
import { formatChange, formatCount, formatGeneratedAt, formatMoney, formatPeriod, formatRate, formatRateChange } from './format.js';
import {
  CONTENT_BOTTOM, CONTENT_WIDTH, PAGE, createReportDocument, drawSvg, drawTable, drawText, svgHeightAt, tableHeight,
  type TableColumn,
} from './pdf-draw.js';
import { measureText } from './fonts.js';
import { buildSections, type ReportSection } from './sections.js';
import { renderSpecToSvg } from './svg.js';
import type { SalesReportInput } from './types.js';

export type { SalesReportInput, TotalsRow } from './types.js';

const LEFT = PAGE.margin;
const HEADING_SIZE = 12;
const SECTION_GAP = 18;

export function reportTitle(input: Pick<SalesReportInput, 'shopName'>): string {
  return `${input.shopName} sales report`;
}

export async function renderSalesReport(input: SalesReportInput): Promise<Buffer> {
  formatPeriod(input.period); // throws on a malformed period before any chart is drawn
  const noSales = input.totals.orders === 0;
  const sections = buildSections(input, { width: DEFAULT_CHART_WIDTH, currency: input.currency })
    .filter((section) => !(noSales && section.fromSales));
  const charts = await Promise.all(sections.map((section) => (section.rows.length > 0 ? renderSpecToSvg(section.spec) : null)));

  const doc = createReportDocument(reportTitle(input), input.generatedAt);
  const pdf = collectBuffer(doc);
  let y = drawHeader(doc, input);
  y = drawTotals(doc, input, y);
  if (noSales) y = drawNoSales(doc, input, y);
  sections.forEach((section, index) => {
    y = drawSection(doc, section, charts[index], y);
  });
  drawFooters(doc, input.generatedAt);
  doc.end();
  return pdf;
}

function drawHeader(doc: PDFKit.PDFDocument, input: SalesReportInput): number {
  let y = PAGE.margin;
  drawText(doc, reportTitle(input), LEFT, y + 2, { size: titleSize(reportTitle(input)), weight: 'bold', maxWidth: CONTENT_WIDTH });
  y += 30;
  drawText(doc, formatPeriod(input.period), LEFT, y, { size: 12, color: '#444444' });
  y += 17;
  if (input.seller !== undefined) {
    drawText(doc, `Seller: ${input.seller}`, LEFT, y, { size: 12, color: '#444444', maxWidth: CONTENT_WIDTH });
    y += 17;
  }
  return y + 14;
}

/** 22 points, smaller for a long shop name (down to 14), so the name stays whole where it can. */
function titleSize(title: string): number {
  const widthAt22 = measureText(title, 22, 'bold');
  return Math.max(14, Math.min(22, Math.floor((22 * CONTENT_WIDTH) / widthAt22)));
}

const TOTALS_COLUMNS: TableColumn[] = [
  { header: 'Headline', share: 2.2 },
  { header: 'This period', share: 1.5, align: 'right' },
  { header: 'Previous period', share: 1.5, align: 'right' },
  { header: 'Change', share: 1.3, align: 'right' },
];

function drawTotals(doc: PDFKit.PDFDocument, input: SalesReportInput, top: number): number {
  const now = input.totals;
  const before = input.previousTotals;
  const money = (amount: number | null) => formatMoney(amount, input.currency);
  const rows = [
    ['Orders', formatCount(now.orders), formatCount(before.orders), formatChange(now.orders, before.orders)],
    ['Net revenue', money(now.net_revenue), money(before.net_revenue), formatChange(now.net_revenue, before.net_revenue)],
    ['Average order value', money(now.average_order_value), money(before.average_order_value),
      formatChange(now.average_order_value, before.average_order_value)],
    ['Customers', formatCount(now.customers), formatCount(before.customers), formatChange(now.customers, before.customers)],
    ['Units sold', formatCount(now.units), formatCount(before.units), formatChange(now.units, before.units)],
    ['Return rate', formatRate(now.return_rate), formatRate(before.return_rate), formatRateChange(now.return_rate, before.return_rate)],
  ];
  drawText(doc, 'Headline totals', LEFT, top, { size: HEADING_SIZE, weight: 'bold' });
  const tableTop = top + 20;
  drawTable(doc, TOTALS_COLUMNS, rows, LEFT, tableTop, CONTENT_WIDTH);
  const bottom = tableTop + tableHeight(rows.length);
  drawText(doc, 'The previous period is the same number of days just before this one. Return rate: units returned per unit sold.',
    LEFT, bottom + 4, { size: 7.5, color: '#666666', maxWidth: CONTENT_WIDTH });
  return bottom + 4 + 10 + SECTION_GAP;
}

function drawNoSales(doc: PDFKit.PDFDocument, input: SalesReportInput, top: number): number {
  const boxHeight = 70;
  doc.rect(LEFT, top, CONTENT_WIDTH, boxHeight).fillColor('#f3f5f8').fill();
  drawText(doc, 'No sales in this period', LEFT + 16, top + 14, { size: 18, weight: 'bold' });
  const who = input.seller === undefined ? '' : ` for seller ${input.seller}`;
  drawText(doc, `No orders were recorded${who} from ${formatPeriod(input.period)}, so there are no sales charts.`,
    LEFT + 16, top + 42, { size: 9.5, color: '#444444', maxWidth: CONTENT_WIDTH - 32 });
  return top + boxHeight + SECTION_GAP;
}

/** Draws a section where it fits, starting a new page when it does not; returns the next free y. */
function drawSection(doc: PDFKit.PDFDocument, section: ReportSection, svg: string | null, top: number): number {
  const chartHeight = svg === null ? 16 : svgHeightAt(svg, CONTENT_WIDTH);
  const tableSpace = section.rows.length > 0 ? 8 + tableHeight(section.rows.length) : 0;
  const height = 22 + chartHeight + tableSpace;
  let y = top;
  if (y + height > CONTENT_BOTTOM) {
    doc.addPage();
    y = PAGE.margin;
  }
  drawText(doc, section.title, LEFT, y, { size: HEADING_SIZE, weight: 'bold' });
  y += 22;
  if (svg === null) {
    drawText(doc, section.emptyText, LEFT, y, { size: 9.5, color: '#666666' });
  } else {
    drawSvg(doc, svg, LEFT, y, CONTENT_WIDTH);
  }
  y += chartHeight;
  if (section.rows.length > 0) drawTable(doc, section.columns, section.rows, LEFT, y + 8, CONTENT_WIDTH);
  return y + tableSpace + SECTION_GAP;
}

function drawFooters(doc: PDFKit.PDFDocument, generatedAt: Date): void {
  const { start, count } = doc.bufferedPageRange();
  const footerY = PAGE.height - PAGE.margin - 8;
  for (let index = start; index < start + count; index += 1) {
    doc.switchToPage(index);
    doc.moveTo(LEFT, footerY - 6).lineTo(LEFT + CONTENT_WIDTH, footerY - 6).lineWidth(0.5).strokeColor('#cccccc').stroke();
    const style = { size: 7.5, color: '#666666' } as const;
    drawText(doc, `Generated ${formatGeneratedAt(generatedAt)} by storepulse`, LEFT, footerY, style);
    drawText(doc, `Page ${index - start + 1} of ${count}`, LEFT + CONTENT_WIDTH, footerY, { ...style, align: 'right' });
  }
}

function collectBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
