import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from '../../src/ledger/checkpoint.js';
import {
  createCosigner,
  parseCosignatureVerifierKey,
  formatCosignatureVerifierKey,
} from '../../src/ledger/cosignature-v1.js';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { treeRoot } from '../../src/ledger/proofs.js';
import { signNote } from '../../src/ledger/signed-note.js';
import { checkStoredCosignatures, type TreeView } from '../../src/verify/witness-check.js';

const origin = 'vigil.test/okta';
const tree = new MemoryHashStore();
tree.append(Array.from({ length: 12 }, (_, i) => hashLeaf(`leaf ${i}`)));
const view: TreeView = {
  origin: async () => origin,
  size: async () => tree.size,
  rootAt: (_log, size) => treeRoot(size, tree),
};
const cosigner = createCosigner('w.test/a', Buffer.alloc(32, 5), () => 1_700_000_000n);
const key = parseCosignatureVerifierKey(formatCosignatureVerifierKey(cosigner));

async function cosignature(size: number, store = tree, signer = cosigner) {
  const text = formatCheckpoint({ origin, size, rootHash: await treeRoot(size, store) });
  return {
    log: 'okta',
    treeSize: size,
    witness: signer.name,
    line: signNote(text, signer).slice(text.length + 1),
  };
}

describe('checkStoredCosignatures', () => {
  it('accepts cosignatures over the stored tree at their sizes', async () => {
    const result = await checkStoredCosignatures([await cosignature(5), await cosignature(12)], [key], view);
    expect(result).toEqual({ checked: 2, findings: [] });
  });

  it('ignores a witness no longer configured (an unknown key is not trusted, nor counted)', async () => {
    const stranger = createCosigner('w.test/b', Buffer.alloc(32, 6), () => 0n);
    expect(await checkStoredCosignatures([await cosignature(5, tree, stranger)], [key], view)).toEqual({
      checked: 0,
      findings: [],
    });
  });

  it('names a cosignature over another tree, another key, or a tree larger than the store', async () => {
    const other = new MemoryHashStore();
    other.append(Array.from({ length: 12 }, (_, i) => hashLeaf(`other ${i}`)));
    const impostor = createCosigner('w.test/a', Buffer.alloc(32, 7), () => 0n);
    const grown = new MemoryHashStore();
    grown.append(Array.from({ length: 15 }, (_, i) => hashLeaf(`leaf ${i}`)));
    const result = await checkStoredCosignatures(
      [await cosignature(6, other), await cosignature(6, tree, impostor), await cosignature(15, grown)],
      [key],
      view,
    );
    expect(result.checked).toBe(3);
    expect(result.findings.map((f) => [f.code, f.treeSize, f.witness])).toEqual([
      ['COSIGNATURE_INVALID', 6, 'w.test/a'],
      ['COSIGNATURE_KEY_MISMATCH', 6, 'w.test/a'],
      ['COSIGNED_BEYOND_TREE', 15, 'w.test/a'],
    ]);
  });
});
