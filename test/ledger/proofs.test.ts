import { describe, expect, it } from 'vitest';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { EMPTY_TREE_ROOT, hashLeaf } from '../../src/ledger/merkle-hash.js';
import { consistencyProof, inclusionProof, treeRoot } from '../../src/ledger/proofs.js';
import { verifyConsistency, verifyInclusion } from '../../src/ledger/proof-verification.js';
import { expectCode } from '../support/expect-code.js';
import { naiveRoot } from './naive-tree.js';

const MAX = 64;
const leaves = Array.from({ length: MAX }, (_, i) => hashLeaf(Buffer.from(`event ${i}`)));
const store = new MemoryHashStore();
store.append(leaves);
const roots = Array.from({ length: MAX + 1 }, (_, n) => naiveRoot(leaves.slice(0, n)));

function flipped(hash: Buffer): Buffer {
  const copy = Buffer.from(hash);
  copy.writeUInt8(copy.readUInt8(31) ^ 0x80, 31);
  return copy;
}

describe('inclusion proofs from stored subtrees', () => {
  it('verify for every (index, size) up to 64, and every tamper is rejected', async () => {
    for (let size = 1; size <= MAX; size++) {
      const root = roots[size] as Buffer;
      expect((await treeRoot(size, store)).equals(root)).toBe(true);
      for (let index = 0; index < size; index++) {
        const leaf = leaves[index] as Buffer;
        const proof = await inclusionProof(index, size, store);
        verifyInclusion(leaf, index, size, proof, root);
        const bad = 'LEDGER_INCLUSION_PROOF_INVALID';
        expectCode(() => verifyInclusion(flipped(leaf), index, size, proof, root), bad);
        expectCode(() => verifyInclusion(leaf, index, size, proof, flipped(root)), bad);
        expectCode(() => verifyInclusion(leaf, index, size, [...proof, leaf], root), bad);
        if (size > 1) expectCode(() => verifyInclusion(leaf, (index + 1) % size, size, proof, root), bad);
        proof.forEach((_, i) => {
          const tampered = proof.map((h, j) => (i === j ? flipped(h) : h));
          expectCode(() => verifyInclusion(leaf, index, size, tampered, root), bad);
        });
        if (proof.length > 0) expectCode(() => verifyInclusion(leaf, index, size, proof.slice(1), root), bad);
      }
    }
  });

  it('refuses out-of-range requests and short hashes', async () => {
    await expectCode(inclusionProof(5, 5, store), 'LEDGER_TREE_SIZE_INVALID');
    await expectCode(inclusionProof(0, MAX + 1, store), 'LEDGER_NODE_MISSING');
    const leaf = leaves[0] as Buffer;
    expectCode(() => verifyInclusion(leaf.subarray(0, 31), 0, 1, [], leaf), 'LEDGER_INCLUSION_PROOF_INVALID');
    expectCode(() => verifyInclusion(leaf, 1, 1, [], leaf), 'LEDGER_INCLUSION_PROOF_INVALID');
  });
});

describe('consistency proofs from stored subtrees', () => {
  it('verify for every pair of sizes up to 64, and every tamper is rejected', async () => {
    for (let newSize = 0; newSize <= MAX; newSize++) {
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const oldRoot = roots[oldSize] as Buffer;
        const newRoot = roots[newSize] as Buffer;
        const proof = await consistencyProof(oldSize, newSize, store);
        verifyConsistency(oldSize, oldRoot, newSize, newRoot, proof);
        const bad = 'LEDGER_CONSISTENCY_PROOF_INVALID';
        expectCode(
          () => verifyConsistency(oldSize, flipped(oldRoot), newSize, newRoot, proof),
          bad,
          `old ${oldSize} ${newSize}`,
        );
        // The empty tree is consistent with every tree, so from size 0 nothing binds the new root.
        if (oldSize > 0 || newSize === 0)
          expectCode(
            () => verifyConsistency(oldSize, oldRoot, newSize, flipped(newRoot), proof),
            bad,
            `new ${oldSize} ${newSize}`,
          );
        proof.forEach((_, i) => {
          const tampered = proof.map((h, j) => (i === j ? flipped(h) : h));
          expectCode(() => verifyConsistency(oldSize, oldRoot, newSize, newRoot, tampered), bad);
        });
        expectCode(() => verifyConsistency(oldSize, oldRoot, newSize, newRoot, [...proof, oldRoot]), bad);
        if (newSize > oldSize)
          expectCode(() => verifyConsistency(newSize, newRoot, oldSize, oldRoot, proof), bad);
      }
    }
  });

  it('follows C2SP for the empty tree: size 0 is consistent with anything, with an empty proof', async () => {
    expect(await consistencyProof(0, 10, store)).toEqual([]);
    verifyConsistency(0, EMPTY_TREE_ROOT, 10, roots[10] as Buffer, []);
    expectCode(
      () => verifyConsistency(0, roots[1] as Buffer, 10, roots[10] as Buffer, []),
      'LEDGER_CONSISTENCY_PROOF_INVALID',
    );
    await expectCode(consistencyProof(5, 4, store), 'LEDGER_TREE_SIZE_INVALID');
  });

  it('reads each proof in one batch of O(log n) nodes', async () => {
    const big = new MemoryHashStore();
    big.append(Array.from({ length: 100_000 }, (_, i) => hashLeaf(Buffer.from(String(i)))));
    const batches: number[] = [];
    const counting = {
      readNodes: (coords: Parameters<MemoryHashStore['readNodes']>[0]) => (
        batches.push(coords.length),
        big.readNodes(coords)
      ),
    };
    const proof = await inclusionProof(12_345, 99_999, counting);
    verifyInclusion(hashLeaf(Buffer.from('12345')), 12_345, 99_999, proof, await treeRoot(99_999, big));
    await consistencyProof(77_777, 99_999, counting);
    expect(batches).toHaveLength(2);
    for (const count of batches) expect(count).toBeLessThanOrEqual(2 * 17);
  });
});
