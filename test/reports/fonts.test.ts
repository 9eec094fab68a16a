import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fitText, interFontData, interFontPath, measureText, splitTextRuns } from '../../src/reports/fonts.js';

const require = createRequire(import.meta.url);
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as {
  create(data: Buffer): { numGlyphs: number; familyName: string; glyphForCodePoint(codePoint: number): { advanceWidth: number } };
};

describe('Inter fonts', () => {
  it('converts the WOFF files to TrueType with the same glyphs', () => {
    const woff = fontkit.create(readFileSync(interFontPath('latin-ext', 'bold')));
    const sfnt = fontkit.create(interFontData('latin-ext', 'bold'));
    expect(interFontData('latin-ext', 'bold').readUInt32BE(0)).not.toBe(0x774f4646);
    expect(sfnt.familyName).toBe(woff.familyName);
    expect(sfnt.numGlyphs).toBe(woff.numGlyphs);
    expect(sfnt.glyphForCodePoint(0x141).advanceWidth).toBe(woff.glyphForCodePoint(0x141).advanceWidth);
  });

  it('splits text into runs by the subset that has each letter, and replaces what none has', () => {
    expect(splitTextRuns('Café £5 €')).toEqual([{ text: 'Café £5 €', subset: 'latin' }]);
    expect(splitTextRuns('Łódź mug')).toEqual([
      { text: 'Ł', subset: 'latin-ext' }, { text: 'ód', subset: 'latin' }, { text: 'ź', subset: 'latin-ext' }, { text: ' mug', subset: 'latin' },
    ]);
    expect(splitTextRuns('up → 漢').map((run) => run.text).join('')).toBe('up ? ?');
  });

  it('measures and cuts text to a width', () => {
    const width = measureText('WHITE HANGING HEART T-LIGHT HOLDER', 9);
    expect(width).toBeGreaterThan(100);
    expect(measureText('WHITE HANGING HEART T-LIGHT HOLDER', 18)).toBeCloseTo(width * 2, 5);
    const cut = fitText('WHITE HANGING HEART T-LIGHT HOLDER', 80, 9);
    expect(cut.endsWith('…')).toBe(true);
    expect(measureText(cut, 9)).toBeLessThanOrEqual(80);
    expect(fitText('POPCORN HOLDER', 200, 9)).toBe('POPCORN HOLDER');
  });
});
