import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import type { HashReader } from './hash-reader.js';
import { EMPTY_TREE_ROOT, hashChildren } from './merkle-hash.js';
import type { NodeCoord } from './tree-frontier.js';
import { assertTreeSize, splitPoint } from './tree-size.js';

/** A leaf range [start, end) whose MTH a proof needs. */
interface Range {
  start: number;
  end: number;
}

/**
 * Every range the RFC 6962 recursion hashes starts at a multiple of a power of two at least as large
 * as itself, so it splits into perfect subtrees left to right by the binary digits of its width.
 */
function rangeCoords({ start, end }: Range): NodeCoord[] {
  const coords: NodeCoord[] = [];
  let at = start;
  while (at < end) {
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= end) width *= 2;
    coords.push({ level: Math.log2(width), index: at / width });
    at += width;
  }
  return coords;
}

/** Reads every range's perfect subtrees in one batch and folds each into its MTH (RFC 6962 §2.1). */
async function hashRanges(ranges: readonly Range[], reader: HashReader): Promise<Buffer[]> {
  const perRange = ranges.map(rangeCoords);
  const hashes = await reader.readNodes(perRange.flat());
  const wanted = perRange.reduce((sum, coords) => sum + coords.length, 0);
  if (hashes.length !== wanted) {
    throw new VigilError<LedgerErrorCode>('LEDGER_NODE_MISSING', 'hash reader returned too few nodes', {
      category: 'internal',
      details: { wanted, got: hashes.length },
    });
  }
  let at = 0;
  return perRange.map((coords) => {
    const parts = hashes.slice(at, at + coords.length);
    at += coords.length;
    let root = parts[parts.length - 1] as Buffer;
    for (let i = parts.length - 2; i >= 0; i--) root = hashChildren(parts[i] as Buffer, root);
    return root;
  });
}

function outOfRange(message: string, details: Record<string, unknown>): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_TREE_SIZE_INVALID', message, { category: 'input', details });
}

/** RFC 6962 §2.1 MTH(D[0:size]) from stored nodes (at most log2(size) reads). */
export async function treeRoot(size: number, reader: HashReader): Promise<Buffer> {
  assertTreeSize(size, 'size');
  if (size === 0) return EMPTY_TREE_ROOT;
  const [root] = await hashRanges([{ start: 0, end: size }], reader);
  return root as Buffer;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]), ordered from the leaf's sibling up to the root's child. */
export async function inclusionProof(index: number, size: number, reader: HashReader): Promise<Buffer[]> {
  assertTreeSize(index, 'index');
  assertTreeSize(size, 'size');
  if (index >= size) throw outOfRange('leaf index must be below the tree size', { index, size });
  const ranges: Range[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return hashRanges(ranges.reverse(), reader);
}

/**
 * RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true). Sizes 0 and m == n give the empty
 * proof (C2SP tlog-witness: "the empty tree is consistent with any tree").
 */
export async function consistencyProof(
  oldSize: number,
  newSize: number,
  reader: HashReader,
): Promise<Buffer[]> {
  assertTreeSize(oldSize, 'oldSize');
  assertTreeSize(newSize, 'newSize');
  if (oldSize > newSize) throw outOfRange('old size must not exceed new size', { oldSize, newSize });
  if (oldSize === 0 || oldSize === newSize) return [];
  const ranges: Range[] = [];
  let m = oldSize;
  let start = 0;
  let end = newSize;
  let complete = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      m -= k;
      start += k;
      complete = false;
    }
  }
  if (!complete) ranges.push({ start, end });
  return hashRanges(ranges.reverse(), reader);
}
