import { describe, expect, it } from 'vitest';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { treeRoot } from '../../src/ledger/proofs.js';
import {
  appendLeaves,
  appendSubtree,
  EMPTY_FRONTIER,
  frontierCoords,
  frontierRoot,
} from '../../src/ledger/tree-frontier.js';
import { expectCode } from '../support/expect-code.js';
import { naiveRoot } from './naive-tree.js';

const leaves = Array.from({ length: 201 }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));

describe('tree frontier', () => {
  it('frontier root equals the RFC 6962 definition for every size 0..200, appended one at a time', () => {
    let frontier = EMPTY_FRONTIER;
    for (let size = 0; size <= 200; size++) {
      expect(frontierRoot(frontier).equals(naiveRoot(leaves.slice(0, size))), `size ${size}`).toBe(true);
      frontier = appendLeaves(frontier, [leaves[size] as Buffer]).frontier;
    }
  });

  it('batched appends give the same frontier and nodes as single appends', () => {
    let single = EMPTY_FRONTIER;
    const singleNodes = [];
    for (const leaf of leaves) {
      const step = appendLeaves(single, [leaf]);
      single = step.frontier;
      singleNodes.push(...step.nodes);
    }
    let batched = EMPTY_FRONTIER;
    const batchedNodes = [];
    for (const [from, to] of [
      [0, 3],
      [3, 64],
      [64, 65],
      [65, 200],
      [200, 201],
    ] as const) {
      const step = appendLeaves(batched, leaves.slice(from, to));
      batched = step.frontier;
      batchedNodes.push(...step.nodes);
    }
    expect(batched).toEqual(single);
    expect(batchedNodes).toEqual(singleNodes);
  });

  it('appending a whole subtree by its root equals appending its leaves, merges included', () => {
    // 200 leaves as subtrees of 8, 8, 16, 32, 64, 64, 8 (each aligned on its own size).
    const store = new MemoryHashStore();
    store.append(leaves.slice(0, 200));
    let bySubtree = EMPTY_FRONTIER;
    const merged = [];
    for (const level of [3, 3, 4, 5, 6, 6, 3]) {
      const index = bySubtree.size / 2 ** level;
      const root = naiveRoot(leaves.slice(bySubtree.size, bySubtree.size + 2 ** level));
      const step = appendSubtree(bySubtree, level, root);
      bySubtree = step.frontier;
      merged.push(...step.nodes);
      expect(frontierRoot(bySubtree).equals(naiveRoot(leaves.slice(0, bySubtree.size))), `at ${index}`).toBe(
        true,
      );
    }
    expect(bySubtree).toEqual(appendLeaves(EMPTY_FRONTIER, leaves.slice(0, 200)).frontier);
    // The merges above each appended subtree are the stored nodes at those places.
    expect(merged.map((n) => `${n.level}/${n.index}`)).toEqual(['4/0', '5/0', '6/0', '7/0']);
    expectCode(
      () => appendSubtree({ size: 8, hashes: [leaves[0]!] }, 4, leaves[1]!),
      'LEDGER_TREE_SIZE_INVALID',
    );
  });

  it('stores exactly the perfect subtrees: 2n - popcount(n) nodes', () => {
    const { nodes } = appendLeaves(EMPTY_FRONTIER, leaves.slice(0, 200));
    // 200 = 0b11001000 has 3 set bits.
    expect(nodes).toHaveLength(2 * 200 - 3);
    expect(new Set(nodes.map((n) => `${n.level}/${n.index}`)).size).toBe(nodes.length);
  });

  it('frontierCoords names the stored nodes that rebuild the frontier of any earlier size', async () => {
    const store = new MemoryHashStore();
    store.append(leaves.slice(0, 200));
    expect(frontierCoords(0)).toEqual([]);
    expect(frontierCoords(13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    for (let size = 0; size <= 200; size++) {
      const hashes = await store.readNodes(frontierCoords(size));
      const root = frontierRoot({ size, hashes });
      expect(root.equals(naiveRoot(leaves.slice(0, size)))).toBe(true);
      expect((await treeRoot(size, store)).equals(root)).toBe(true);
    }
  });

  it('handles sizes beyond 2^32 with arithmetic, not 32-bit bit operators', () => {
    const size = 2 ** 40 + 5;
    expect(frontierCoords(size)).toEqual([
      { level: 40, index: 0 },
      { level: 2, index: 2 ** 38 },
      { level: 0, index: 2 ** 40 + 4 },
    ]);
    const frontier = { size, hashes: [leaves[0], leaves[1], leaves[2]] as Buffer[] };
    const { frontier: next, nodes } = appendLeaves(frontier, [leaves[3] as Buffer]);
    expect(next.size).toBe(size + 1);
    expect(nodes.map(({ level, index }) => ({ level, index }))).toEqual([
      { level: 0, index: 2 ** 40 + 5 },
      { level: 1, index: 2 ** 39 + 2 },
    ]);
    expect(next.hashes).toHaveLength(3);
  });

  it('rejects a frontier whose hashes do not match its size', () => {
    expectCode(() => appendLeaves({ size: 3, hashes: [] }, []), 'LEDGER_TREE_SIZE_INVALID');
    expectCode(() => frontierCoords(-1), 'LEDGER_TREE_SIZE_INVALID');
  });
});
