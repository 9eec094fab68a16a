/**
 * Drawing primitives for the report PDF: text set in the embedded Inter subsets, tables and
 * SVG charts. Every piece of text stays real text, so the figures can be searched and copied.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { ALL_FONTS, TABLE_FEATURES, fitText, interFontData, measureText, pdfFontName, splitTextRuns, type FontWeight } from './fonts.js';

export const PAGE = { width: 595.28, height: 841.89, margin: 40, footerHeight: 28 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** The lowest y content may reach, above the footer. */
export const CONTENT_BOTTOM = PAGE.height - PAGE.margin - PAGE.footerHeight;

const EXT_FAMILY = 'Inter latin-ext';

export function createReportDocument(title: string, createdAt: Date): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: title, Author: 'storepulse', Creator: 'storepulse', CreationDate: createdAt },
  });
  for (const { subset, weight } of ALL_FONTS) doc.registerFont(pdfFontName(subset, weight), interFontData(subset, weight));
  return doc;
}

export interface TextStyle {
  size: number;
  weight?: FontWeight;
  color?: string;
  /** Text longer than this is cut with "…". */
  maxWidth?: number;
  /** With `right`, `x` is where the text ends. */
  align?: 'left' | 'right';
  /** Digits of equal width, for columns of figures. */
  tabular?: boolean;
}

/** Draws one line of text at (x, y = top of the line), switching subset fonts per run. Returns its width. */
export function drawText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, style: TextStyle): number {
  const weight = style.weight ?? 'regular';
  // pdfkit caches shaped words only when no features are asked for: ask only for figures.
  const features = style.tabular && /\d/.test(text) ? TABLE_FEATURES : [];
  const fitted = style.maxWidth === undefined ? text : fitText(text, style.maxWidth, style.size, weight, features);
  const width = measureText(fitted, style.size, weight, features);
  let cursor = style.align === 'right' ? x - width : x;
  doc.fillColor(style.color ?? '#1a1a1a');
  for (const run of splitTextRuns(fitted)) {
    doc.font(pdfFontName(run.subset, weight)).fontSize(style.size);
    doc.text(run.text, cursor, y, { lineBreak: false, features: features as PDFKit.Mixins.OpenTypeFeatures[] });
    cursor += measureText(run.text, style.size, weight, features);
  }
  return width;
}

export interface TableColumn {
  header: string;
  /** Share of the table width. */
  share: number;
  align?: 'left' | 'right';
}

const TABLE_FONT_SIZE = 8.5;
const TABLE_ROW_HEIGHT = 13;
const CELL_PADDING = 4;

export function tableHeight(rowCount: number): number {
  return (rowCount + 1) * TABLE_ROW_HEIGHT + 4;
}

/** Draws a table with a bold header row; returns its height. */
export function drawTable(doc: PDFKit.PDFDocument, columns: TableColumn[], rows: string[][], x: number, y: number, width: number): number {
  const totalShare = columns.reduce((sum, column) => sum + column.share, 0);
  const widths = columns.map((column) => (column.share / totalShare) * width);
  const drawRow = (cells: string[], top: number, weight: FontWeight, color: string) => {
    let left = x;
    cells.forEach((cell, index) => {
      const cellWidth = widths[index];
      const right = columns[index].align === 'right';
      drawText(doc, cell, right ? left + cellWidth - CELL_PADDING : left + CELL_PADDING, top + 2.5, {
        size: TABLE_FONT_SIZE, weight, color, maxWidth: cellWidth - 2 * CELL_PADDING, align: right ? 'right' : 'left', tabular: right,
      });
      left += cellWidth;
    });
  };
  drawRow(columns.map((column) => column.header), y, 'bold', '#444444');
  doc.moveTo(x, y + TABLE_ROW_HEIGHT).lineTo(x + width, y + TABLE_ROW_HEIGHT).lineWidth(0.6).strokeColor('#999999').stroke();
  rows.forEach((cells, index) => {
    const top = y + (index + 1) * TABLE_ROW_HEIGHT + 2;
    if (index % 2 === 1) doc.rect(x, top, width, TABLE_ROW_HEIGHT).fillColor('#f3f5f8').fill();
    drawRow(cells, top, 'regular', '#1a1a1a');
  });
  return tableHeight(rows.length);
}

/** The height an SVG takes when drawn `width` wide, from its root width and height. */
export function svgHeightAt(svg: string, width: number): number {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const svgWidth = Number(/\bwidth="([\d.]+)"/.exec(root)?.[1]);
  const svgHeight = Number(/\bheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(svgWidth > 0) || !(svgHeight > 0)) throw new Error('reports: chart SVG has no width and height on its root element');
  return (svgHeight * width) / svgWidth;
}

/** Draws an SVG chart `width` wide at (x, y); returns its height. */
export function drawSvg(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, width: number): number {
  const height = svgHeightAt(svg, width);
  SVGtoPDF(doc, withSubsetFonts(svg), x, y, {
    width,
    height,
    assumePt: true,
    fontCallback: (family, bold) =>
      pdfFontName(family.includes(EXT_FAMILY) ? 'latin-ext' : 'latin', bold ? 'bold' : 'regular'),
    warningCallback: (message) => {
      throw new Error(`reports: drawing a chart into the PDF failed: ${message}`);
    },
  });
  return height;
}

/**
 * svg-to-pdfkit sets each <text> in one font. Text with characters only latin-ext has is split
 * into <tspan>s naming that subset's family, which the font callback maps to its font.
 */
function withSubsetFonts(svg: string): string {
  return svg.replace(/(<text\b[^>]*>)([^<]*)(<\/text>)/g, (_match, open: string, content: string, close: string) => {
    const runs = splitTextRuns(content);
    const body = runs
      .map((run) => (run.subset === 'latin' ? run.text : `<tspan font-family="${EXT_FAMILY}">${run.text}</tspan>`))
      .join('');
    return `${open}${body}${close}`;
  });
}
