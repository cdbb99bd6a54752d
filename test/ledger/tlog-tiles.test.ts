import { describe, expect, it } from 'vitest';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { treeRoot } from '../../src/ledger/proofs.js';
import { encodeEntryBundle, readTile, tilePath, tilesForTreeSize } from '../../src/ledger/tlog-tiles.js';
import { expectCode } from '../support/expect-code.js';
import { naiveRoot } from './naive-tree.js';

const leaves = Array.from({ length: 600 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
const store = new MemoryHashStore();
store.append(leaves);

describe('tlog-tiles view of stored nodes', () => {
  it('a level-1 tile holds the roots of consecutive 256-leaf subtrees', async () => {
    expect(tilesForTreeSize(600)).toEqual([
      { level: 0, fullTiles: 2, partialWidth: 88 },
      { level: 1, fullTiles: 0, partialWidth: 2 },
    ]);
    const tile = await readTile(1, 0, 2, store);
    expect(tile.subarray(0, 32).equals(await treeRoot(256, store))).toBe(true);
    expect(tile.subarray(32).equals(naiveRoot(leaves.slice(256, 512)))).toBe(true);
    expect(Buffer.concat(leaves.slice(512, 600)).equals(await readTile(0, 2, 88, store))).toBe(true);
  });

  it('refuses bad coordinates and oversized entries', async () => {
    expectCode(() => tilePath(0, 0, 0), 'LEDGER_TREE_SIZE_INVALID');
    expectCode(() => tilePath(64, 0), 'LEDGER_TREE_SIZE_INVALID');
    expectCode(() => encodeEntryBundle([Buffer.alloc(65_536)]), 'LEDGER_TREE_SIZE_INVALID');
    await expectCode(readTile(0, 3, 1, store), 'LEDGER_NODE_MISSING');
  });
});
