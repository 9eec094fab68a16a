/**
 * WOFF → TrueType in memory. fontkit reads a WOFF table by inflating it again on every access,
 * which made a report spend most of its second inflating the same glyph table; the plain sfnt
 * is read directly. The conversion is the WOFF 1.0 layout undone: inflate each table, write the
 * sfnt table directory, pad tables to 4 bytes.
 */
import { inflateSync } from 'node:zlib';

const WOFF_SIGNATURE = 0x774f4646; // "wOFF"
const WOFF_HEADER_SIZE = 44;
const WOFF_ENTRY_SIZE = 20;
const SFNT_HEADER_SIZE = 12;
const SFNT_ENTRY_SIZE = 16;

interface Table { tag: number; checksum: number; data: Buffer }

export function woffToSfnt(woff: Buffer, name = 'font'): Buffer {
  if (woff.length < WOFF_HEADER_SIZE || woff.readUInt32BE(0) !== WOFF_SIGNATURE) {
    throw new Error(`reports: ${name} is not a WOFF 1.0 font (no "wOFF" signature)`);
  }
  const flavor = woff.readUInt32BE(4);
  const tableCount = woff.readUInt16BE(12);
  const tables: Table[] = [];
  for (let index = 0; index < tableCount; index += 1) {
    const entry = WOFF_HEADER_SIZE + index * WOFF_ENTRY_SIZE;
    const offset = woff.readUInt32BE(entry + 4);
    const compressedLength = woff.readUInt32BE(entry + 8);
    const length = woff.readUInt32BE(entry + 12);
    const stored = woff.subarray(offset, offset + compressedLength);
    const data = compressedLength < length ? inflateSync(stored) : stored;
    if (data.length !== length) throw new Error(`reports: ${name}: a table inflated to ${data.length} bytes, expected ${length}`);
    tables.push({ tag: woff.readUInt32BE(entry), checksum: woff.readUInt32BE(entry + 16), data });
  }
  return writeSfnt(flavor, tables);
}

function writeSfnt(flavor: number, tables: Table[]): Buffer {
  const directorySize = SFNT_HEADER_SIZE + tables.length * SFNT_ENTRY_SIZE;
  const size = tables.reduce((sum, table) => sum + padded(table.data.length), directorySize);
  const sfnt = Buffer.alloc(size);
  const entrySelector = Math.floor(Math.log2(tables.length));
  const searchRange = 2 ** entrySelector * 16;
  sfnt.writeUInt32BE(flavor, 0);
  sfnt.writeUInt16BE(tables.length, 4);
  sfnt.writeUInt16BE(searchRange, 6);
  sfnt.writeUInt16BE(entrySelector, 8);
  sfnt.writeUInt16BE(tables.length * 16 - searchRange, 10);
  let offset = directorySize;
  tables.forEach((table, index) => {
    const entry = SFNT_HEADER_SIZE + index * SFNT_ENTRY_SIZE;
    sfnt.writeUInt32BE(table.tag, entry);
    sfnt.writeUInt32BE(table.checksum, entry + 4);
    sfnt.writeUInt32BE(offset, entry + 8);
    sfnt.writeUInt32BE(table.data.length, entry + 12);
    table.data.copy(sfnt, offset);
    offset += padded(table.data.length);
  });
  return sfnt;
}

function padded(length: number): number {
  return (length + 3) & ~3;
}
