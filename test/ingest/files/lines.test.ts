import { describe, expect, it } from 'vitest';
import { readTextPieces } from '../../../src/ingest/files/lines.js';
import type { ByteSource } from '../../../src/ingest/files/source.js';

function sourceOf(...chunks: string[]): ByteSource {
  const buffers = chunks.map((chunk) => Buffer.from(chunk, 'utf8'));
  return { chunks: (async function* () { yield* buffers; })(), totalBytes: 0, bytesRead: () => 0 };
}

async function piecesOf(source: ByteSource): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of readTextPieces(source, 'utf8')) pieces.push(piece);
  return pieces;
}

describe('readTextPieces', () => {
  it('gives the text in pieces of whole lines, a line cut by chunks in one piece, the byte-order mark left out', async () => {
    const pieces = await piecesOf(sourceOf('\uFEFFhead,er\nrow 1\nro', 'w 2\nrow 3\nrow', ' 4 is long', ', still\nrow 5\n', 'last, no break'));
    expect(pieces.join('')).toBe('head,er\nrow 1\nrow 2\nrow 3\nrow 4 is long, still\nrow 5\nlast, no break');
    expect(pieces.slice(0, -1).every((piece) => piece.endsWith('\n'))).toBe(true);
    for (const line of ['row 2\n', 'row 4 is long, still\n']) expect(pieces.some((piece) => piece.startsWith(line))).toBe(true);
  });

  it('keeps a character cut between two chunks whole', async () => {
    const euro = Buffer.from('a€b\n', 'utf8');
    const source: ByteSource = { chunks: (async function* () { yield euro.subarray(0, 2); yield euro.subarray(2); })(), totalBytes: 0, bytesRead: () => 0 };
    expect((await piecesOf(source)).join('')).toBe('a€b\n');
  });
});
