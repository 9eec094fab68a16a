/**
 * Text lines from a byte source, in batches (one per decompressed chunk) so that the per-line
 * cost stays a plain loop. Lines are split on LF; a trailing CR (CRLF files) and a leading
 * byte-order mark are removed.
 */
import { StringDecoder } from 'node:string_decoder';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { ByteSource } from './source.js';

/** `bytes` decodes each byte as one character (ISO-8859-1 code points): structure-only scans. */
export type TextEncoding = 'utf8' | 'windows-1252' | 'bytes';

export interface LineBatch {
  lines: string[];
  /** 1-based line number of lines[0]. */
  firstLine: number;
}

interface ChunkDecoder {
  write(chunk: Buffer): string;
  end(): string;
}

export function decoderFor(encoding: TextEncoding): ChunkDecoder {
  if (encoding === 'utf8') {
    const decoder = new StringDecoder('utf8');
    return { write: (chunk) => decoder.write(chunk), end: () => decoder.end() };
  }
  if (encoding === 'bytes') return { write: (chunk) => chunk.toString('latin1'), end: () => '' };
  // ISO-8859-1 files are read as windows-1252, its superset: the same for every printable
  // ISO-8859-1 character, and 0x80–0x9F become €, ‘, ’… instead of invisible control codes.
  // A single-byte encoding: chunks decode independently.
  return { write: (chunk) => iconv.decode(chunk, 'windows-1252'), end: () => '' };
}

export function decodeText(content: Buffer): string {
  const encoding = isUtf8(content) ? 'utf8' : 'windows-1252';
  const decoder = decoderFor(encoding);
  return stripByteOrderMark(decoder.write(content) + decoder.end());
}

export async function* readLines(source: ByteSource, encoding: TextEncoding): AsyncGenerator<LineBatch> {
  const decoder = decoderFor(encoding);
  let carry = '';
  let nextLine = 1;
  for await (const chunk of source.chunks) {
    const text = carry + decoder.write(chunk);
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    if (lines.length === 0) continue;
    yield prepareBatch(lines, nextLine);
    nextLine += lines.length;
  }
  const rest = carry + decoder.end();
  if (rest.length > 0) yield prepareBatch([rest], nextLine);
}

function prepareBatch(lines: string[], firstLine: number): LineBatch {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.charCodeAt(line.length - 1) === CARRIAGE_RETURN) lines[index] = line.slice(0, -1);
  }
  if (firstLine === 1) lines[0] = stripByteOrderMark(lines[0]);
  return { lines, firstLine };
}

const CARRIAGE_RETURN = 13;
const BYTE_ORDER_MARKS = ['\uFEFF', '\u00EF\u00BB\u00BF' /* UTF-8 BOM read as bytes */];

export function stripByteOrderMark(text: string): string {
  for (const mark of BYTE_ORDER_MARKS) if (text.startsWith(mark)) return text.slice(mark.length);
  return text;
}

/** Whether a stream of chunks is valid UTF-8, checked chunk by chunk (a character may span two chunks). */
export class Utf8Validity {
  private tail: Buffer = Buffer.alloc(0);
  valid = true;

  update(chunk: Buffer): void {
    if (!this.valid) return;
    const bytes = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const end = completeCharactersEnd(bytes);
    this.tail = Buffer.from(bytes.subarray(end));
    if (!isUtf8(bytes.subarray(0, end))) this.valid = false;
  }

  end(): boolean {
    if (this.valid && this.tail.length > 0) this.valid = isUtf8(this.tail);
    return this.valid;
  }
}

/** Offset after the last complete UTF-8 character: an unfinished trailing sequence is left for the next chunk. */
function completeCharactersEnd(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const expected = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return expected > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/**
 * Decoded text in pieces that end with a complete line (the last piece may lack its line break).
 * The line carried over from one decoded chunk comes as a piece of its own, finished with the next
 * chunk's first line: prepended to the next chunk, it would copy the whole chunk.
 */
export async function* readTextPieces(source: ByteSource, encoding: TextEncoding): AsyncGenerator<string> {
  const decoder = decoderFor(encoding);
  let carry = '';
  let first = true;
  for await (const chunk of source.chunks) {
    let text = decoder.write(chunk);
    if (first && carry.length + text.length > 0) {
      text = stripByteOrderMark(carry + text);
      carry = '';
      first = false;
    }
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak < 0) {
      carry += text;
      continue;
    }
    let from = 0;
    if (carry.length > 0) {
      from = text.indexOf('\n') + 1;
      yield carry + text.slice(0, from);
    }
    carry = text.slice(lastBreak + 1);
    if (lastBreak + 1 > from) yield text.slice(from, lastBreak + 1);
  }
  const rest = carry + decoder.end();
  if (rest.length > 0) yield first ? stripByteOrderMark(rest) : rest;
}
