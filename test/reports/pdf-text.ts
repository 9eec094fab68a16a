/** Reads a rendered PDF back with poppler's pdftotext: plain text, and lines with their positions. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PdfLine { page: number; top: number; left: number; text: string }

export async function withPdfFile<T>(pdf: Buffer, use: (file: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'storepulse-report-'));
  try {
    const file = path.join(directory, 'report.pdf');
    await writeFile(file, pdf);
    return await use(file);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export async function pdfText(file: string): Promise<string> {
  return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
}

/** Every text line of the PDF with its page (from 1) and top-left corner, in points. */
export async function pdfLines(file: string): Promise<PdfLine[]> {
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', '-bbox-layout', file, '-'], { maxBuffer: 64 * 1024 * 1024 });
  const lines: PdfLine[] = [];
  stdout.split('<page ').slice(1).forEach((pageHtml, pageIndex) => {
    for (const line of pageHtml.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([\s\S]*?)<\/line>/g)) {
      const words = [...line[3].matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((word) => decodeEntities(word[1]));
      lines.push({ page: pageIndex + 1, left: Number(line[1]), top: Number(line[2]), text: words.join(' ') });
    }
  });
  return lines;
}

/**
 * The lines of one report section: after the line that reads `heading`, on the same page,
 * down to the next line in `headings` (or the page's end).
 */
export function sectionLines(lines: PdfLine[], heading: string, headings: string[]): PdfLine[] {
  const start = lines.find((line) => line.text === heading);
  if (!start) throw new Error(`heading "${heading}" not found in the PDF`);
  const onPage = lines.filter((line) => line.page === start.page && line.top > start.top);
  const nextTop = Math.min(...onPage.filter((line) => headings.includes(line.text)).map((line) => line.top), Infinity);
  return onPage.filter((line) => line.top < nextTop).sort((a, b) => a.top - b.top || a.left - b.left);
}

/** The top of the first line containing `text`, or undefined. */
export function topOf(lines: PdfLine[], text: string): number | undefined {
  return lines.find((line) => line.text.includes(text))?.top;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
