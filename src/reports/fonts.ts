/**
 * Inter, shipped by @fontsource/inter, so the report prints the same on any machine. Each
 * fontsource file holds one script subset: `latin` has £, € and western accents, `latin-ext`
 * has the rest of the Latin script (Ł, ő, ş...). Text is split into runs by the subset that has
 * its glyphs; a character neither subset has prints as "?" rather than as an empty box.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { woffToSfnt } from './woff.js';

export type FontWeight = 'regular' | 'bold';
export type FontSubset = 'latin' | 'latin-ext';

export interface TextRun { text: string; subset: FontSubset }

interface FontkitFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string, features?: string[]): { advanceWidth: number };
}

const require = createRequire(import.meta.url);
// fontkit is pdfkit's own font engine; resolving it from pdfkit keeps the two in step.
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(data: Buffer): FontkitFont };

const WEIGHT_FILE: Record<FontWeight, string> = { regular: '400', bold: '700' };
const loaded = new Map<string, LoadedFont>();

interface LoadedFont {
  path: string;
  /** The font as TrueType, for pdfkit.registerFont. */
  data: Buffer;
  font: FontkitFont;
}

/** The pdfkit font name registered for a subset and weight, e.g. "Inter-latin-ext-bold". */
export function pdfFontName(subset: FontSubset, weight: FontWeight): string {
  return `Inter-${subset}-${weight}`;
}

/** Absolute path of an Inter .woff file, found through Node's resolution so any cwd works. */
export function interFontPath(subset: FontSubset, weight: FontWeight): string {
  return loadFont(subset, weight).path;
}

/** The Inter file converted once to TrueType (see woff.ts for why), to register with pdfkit. */
export function interFontData(subset: FontSubset, weight: FontWeight): Buffer {
  return loadFont(subset, weight).data;
}

export const ALL_FONTS: { subset: FontSubset; weight: FontWeight }[] = [
  { subset: 'latin', weight: 'regular' },
  { subset: 'latin', weight: 'bold' },
  { subset: 'latin-ext', weight: 'regular' },
  { subset: 'latin-ext', weight: 'bold' },
];

/** Splits text into runs per font subset; characters no subset has become "?". */
export function splitTextRuns(text: string): TextRun[] {
  const runs: TextRun[] = [];
  for (const character of text) {
    const subset = subsetOf(character);
    const printed = subset !== null ? character : /\s/u.test(character) ? ' ' : '?';
    const last = runs[runs.length - 1];
    if (last && last.subset === (subset ?? 'latin')) last.text += printed;
    else runs.push({ text: printed, subset: subset ?? 'latin' });
  }
  return runs;
}

/** Tabular figures: digits of equal width, so columns of numbers line up. */
export const TABLE_FEATURES = ['tnum'];

/** Width in points of text set in Inter at `size`, summed over its subset runs. */
export function measureText(text: string, size: number, weight: FontWeight = 'regular', features: string[] = []): number {
  let width = 0;
  for (const run of splitTextRuns(text)) width += runWidthInEm(run, weight, features) * size;
  return width;
}

// Shaping a run with fontkit costs about a millisecond, and Vega and fitText measure the same
// labels many times over, so widths are remembered (in em, for any size).
const runWidths = new Map<string, number>();
const RUN_WIDTHS_LIMIT = 20_000;

function runWidthInEm(run: TextRun, weight: FontWeight, features: string[]): number {
  const key = `${run.subset}|${weight}|${features.join(',')}|${run.text}`;
  let width = runWidths.get(key);
  if (width === undefined) {
    const { font } = loadFont(run.subset, weight);
    width = font.layout(run.text, features).advanceWidth / font.unitsPerEm;
    if (runWidths.size >= RUN_WIDTHS_LIMIT) runWidths.clear();
    runWidths.set(key, width);
  }
  return width;
}

/** Cuts text to fit `maxWidth` points, ending it with "…" when cut. */
export function fitText(text: string, maxWidth: number, size: number, weight: FontWeight = 'regular', features: string[] = []): string {
  const fits = (candidate: string) => measureText(candidate, size, weight, features) <= maxWidth;
  if (fits(text)) return text;
  const characters = [...text];
  let low = 0;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const candidate = `${characters.slice(0, middle).join('').trimEnd()}…`;
    if (fits(candidate)) low = middle;
    else high = middle - 1;
  }
  return `${characters.slice(0, low).join('').trimEnd()}…`;
}

function loadFont(subset: FontSubset, weight: FontWeight): LoadedFont {
  const key = `${subset}-${weight}`;
  let entry = loaded.get(key);
  if (!entry) {
    const file = `@fontsource/inter/files/inter-${subset}-${WEIGHT_FILE[weight]}-normal.woff`;
    let path: string;
    try {
      path = require.resolve(file);
    } catch (error) {
      throw new Error(`reports: font ${file} not found (${(error as Error).message}); run npm install to restore @fontsource/inter`);
    }
    const data = woffToSfnt(readFileSync(path), file);
    entry = { path, data, font: fontkit.create(data) };
    loaded.set(key, entry);
  }
  return entry;
}

const subsetOfCharacter = new Map<string, FontSubset | null>();

/** The subset that has the character's glyph, latin first; null when neither has it. */
function subsetOf(character: string): FontSubset | null {
  let subset = subsetOfCharacter.get(character);
  if (subset === undefined) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (loadFont('latin', 'regular').font.hasGlyphForCodePoint(codePoint)) subset = 'latin';
    else if (loadFont('latin-ext', 'regular').font.hasGlyphForCodePoint(codePoint)) subset = 'latin-ext';
    else subset = null;
    subsetOfCharacter.set(character, subset);
  }
  return subset;
}
