import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import type { HashReader } from './hash-reader.js';
import { assertTreeSize } from './tree-size.js';

/**
 * c2sp.org/tlog-tiles layout of our stored nodes, so an export or a static mirror can serve the tree
 * in the form Tessera clients and x/mod tlog (with its extra "/8" path segment) read.
 */
export const TILE_WIDTH = 256;
/** log2(TILE_WIDTH): tile level l holds tree level 8·l nodes. */
const TILE_HEIGHT = 8;

function invalid(message: string, details: Record<string, unknown>): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_TREE_SIZE_INVALID', message, { category: 'input', details });
}

/** tlog-tiles: N as 3-digit path elements, all but the last prefixed "x" (1234067 → x001/x234/067). */
function encodeIndex(n: number): string {
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** `tile/<L>/<N>[.p/<W>]`, or `tile/entries/<N>[.p/<W>]` for entry bundles. */
export function tilePath(level: number | 'entries', n: number, width = TILE_WIDTH): string {
  assertTreeSize(n, 'n');
  if (level !== 'entries' && (!Number.isInteger(level) || level < 0 || level > 63))
    throw invalid('tile level must be 0..63', { level });
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    throw invalid('tile width must be 1..256', { width });
  return `tile/${level}/${encodeIndex(n)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

export interface TileLevel {
  level: number;
  /** Full tiles are 0 .. fullTiles-1. */
  fullTiles: number;
  /** The partial tile at index `fullTiles`, when the level does not end on a tile boundary. */
  partialWidth?: number;
}

/** Which tiles a tree of `size` has, per level (tlog-tiles: level l has floor(size / 256^l) hashes). */
export function tilesForTreeSize(size: number): TileLevel[] {
  assertTreeSize(size, 'size');
  const levels: TileLevel[] = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    const partial = count % TILE_WIDTH;
    levels.push({
      level,
      fullTiles: Math.floor(count / TILE_WIDTH),
      ...(partial > 0 ? { partialWidth: partial } : {}),
    });
  }
  return levels;
}

/** Tile bytes: `width` concatenated 32-byte hashes of tree level 8·l, read in one batch. */
export async function readTile(level: number, n: number, width: number, reader: HashReader): Promise<Buffer> {
  tilePath(level, n, width);
  const coords = Array.from({ length: width }, (_, i) => ({
    level: level * TILE_HEIGHT,
    index: n * TILE_WIDTH + i,
  }));
  return Buffer.concat(await reader.readNodes(coords));
}

/** tlog-tiles entry bundle: each entry prefixed by its big-endian uint16 length. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.length > 0xffff) throw invalid('entry longer than 65535 bytes', { length: entry.length });
    const length = Buffer.alloc(2);
    length.writeUInt16BE(entry.length);
    parts.push(length, Buffer.from(entry));
  }
  return Buffer.concat(parts);
}
