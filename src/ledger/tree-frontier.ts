import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { EMPTY_TREE_ROOT, hashChildren } from './merkle-hash.js';
import { assertTreeSize } from './tree-size.js';

/** A node covering leaves [index * 2^level, (index + 1) * 2^level); level 0 nodes are leaf hashes. */
export interface NodeCoord {
  level: number;
  index: number;
}

/** Only complete (perfect) subtrees are ever stored: they never change once the log grows past them. */
export interface StoredNode extends NodeCoord {
  hash: Buffer;
}

/**
 * The right edge of a tree of `size` leaves: the roots of its perfect subtrees, largest (leftmost)
 * first, one per set bit of `size`. This is all an appender needs in memory.
 */
export interface Frontier {
  size: number;
  hashes: Buffer[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, hashes: [] };

function popCount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/** Which stored nodes make up the frontier of a tree of `size` (left to right). */
export function frontierCoords(size: number): NodeCoord[] {
  assertTreeSize(size, 'size');
  const coords: NodeCoord[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (Math.floor(size / width) % 2 === 1) {
      coords.push({ level, index: start / width });
      start += width;
    }
  }
  return coords;
}

/**
 * Appends leaf hashes and returns the new frontier plus every perfect subtree node completed on the way
 * (each leaf, and each interior node once both children exist) so a store can persist them.
 */
export function appendLeaves(
  frontier: Frontier,
  leafHashes: readonly Buffer[],
): { frontier: Frontier; nodes: StoredNode[] } {
  checkFrontier(frontier);
  const stack = frontier.hashes.slice();
  const nodes: StoredNode[] = [];
  let size = frontier.size;
  for (const leaf of leafHashes) {
    nodes.push({ level: 0, index: size, hash: leaf });
    pushSubtree(stack, size, 0, leaf, nodes);
    size += 1;
  }
  return { frontier: { size, hashes: stack }, nodes };
}

/**
 * Appends a whole perfect subtree of 2^level leaves, given its root, to a tree whose size is a
 * multiple of 2^level: the same as appending its leaves one by one, in O(log size) hashes. Returns
 * the new frontier and the nodes above `level` completed on the way (not the subtree's own root).
 */
export function appendSubtree(
  frontier: Frontier,
  level: number,
  root: Buffer,
): { frontier: Frontier; nodes: StoredNode[] } {
  checkFrontier(frontier);
  const width = 2 ** level;
  if (!Number.isInteger(level) || level < 0 || frontier.size % width !== 0) {
    throw new VigilError<LedgerErrorCode>(
      'LEDGER_TREE_SIZE_INVALID',
      `a subtree of 2^${level} leaves cannot be appended to a tree of ${frontier.size}`,
      { category: 'internal', details: { size: frontier.size, level } },
    );
  }
  const stack = frontier.hashes.slice();
  const nodes: StoredNode[] = [];
  pushSubtree(stack, frontier.size, level, root, nodes);
  return { frontier: { size: frontier.size + width, hashes: stack }, nodes };
}

function checkFrontier(frontier: Frontier): void {
  assertTreeSize(frontier.size, 'size');
  if (frontier.hashes.length !== popCount(frontier.size)) {
    throw new VigilError<LedgerErrorCode>('LEDGER_TREE_SIZE_INVALID', 'frontier does not match its size', {
      category: 'internal',
      details: { size: frontier.size, hashes: frontier.hashes.length },
    });
  }
}

/**
 * Pushes the root of the perfect subtree of 2^level leaves that starts at leaf `size` onto the
 * frontier stack, merging it with the subtrees of equal height on its left: one per trailing 1-bit
 * of size / 2^level. Each merged node is recorded in `nodes`.
 */
function pushSubtree(stack: Buffer[], size: number, level: number, root: Buffer, nodes: StoredNode[]): void {
  let hash = root;
  let index = size / 2 ** level;
  for (let bits = index; bits % 2 === 1; bits = (bits - 1) / 2) {
    hash = hashChildren(stack.pop() as Buffer, hash);
    level += 1;
    index = (index - 1) / 2;
    nodes.push({ level, index, hash });
  }
  stack.push(hash);
}

/** RFC 6962 §2.1 MTH of the whole tree: fold the frontier from the right. */
export function frontierRoot(frontier: Frontier): Buffer {
  const { hashes } = frontier;
  if (hashes.length === 0) return EMPTY_TREE_ROOT;
  let root = hashes[hashes.length - 1] as Buffer;
  for (let i = hashes.length - 2; i >= 0; i--) root = hashChildren(hashes[i] as Buffer, root);
  return root;
}
