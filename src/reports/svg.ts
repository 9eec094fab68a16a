/** Renders a Vega-Lite spec to an SVG string on the server: no canvas, no browser. */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { measureText } from './fonts.js';

// Without a canvas Vega guesses text widths (0.8 × size per character), which misplaces axis
// labels and value labels; measuring with the Inter files the PDF embeds makes layout exact.
// Vega supports replacing this function (vl-convert does the same).
// vega-scenegraph exports textMetrics at runtime; vega's typings leave it out.
interface TextItem { fontSize?: number; fontWeight?: string | number }
const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } };
textMetrics.width = (item, text) => {
  const size = item.fontSize ?? 11;
  const weight = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600 ? 'bold' : 'regular';
  return measureText(String(text ?? ''), size, weight);
};

export async function renderSpecToSvg(spec: TopLevelSpec): Promise<string> {
  let runtime: vega.Runtime;
  try {
    // Vega turns inline rows into its tuples and writes derived fields onto them: render a copy
    // so the caller's spec and rows stay as they were.
    const ownSpec = structuredClone(spec);
    // Errors only: our specs are fixed, and one warning (fit-y dropped for a discrete height) is intended.
    runtime = vega.parse(compile(ownSpec, { logger: vega.logger(vega.Error) }).spec);
  } catch (error) {
    throw new Error(`reports: chart "${spec.description ?? 'untitled'}" is not a valid Vega-Lite spec: ${(error as Error).message}`);
  }
  const view = new vega.View(runtime, { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
