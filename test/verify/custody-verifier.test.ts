import { describe, expect, it } from 'vitest';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { EMPTY_TREE_ROOT } from '../../src/ledger/merkle-hash.js';
import { createSigner, formatVerifierKey, parseVerifierKey } from '../../src/ledger/note-key.js';
import { signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import type { CustodyReader, StoredCheckpoint } from '../../src/verify/custody-reader.js';
import { verifyCustody } from '../../src/verify/custody-verifier.js';
import type { LeafRangeResult } from '../../src/verify/leaf-check.js';

const signer = createSigner('vigil.test/okta', Buffer.alloc(32, 7));
const verifier = parseVerifierKey(formatVerifierKey(signer));
const empty = { origin: signer.name, size: 0, rootHash: EMPTY_TREE_ROOT };

/** A store of one source with no leaves, one checkpoint and the given leaf ranges. */
function reader(checkpoint: StoredCheckpoint, ranges: LeafRangeResult[] = []): CustodyReader {
  return {
    sources: () => Promise.resolve(['okta']),
    leafRanges: async function* () {
      yield* ranges;
    },
    eventsAfter: async function* () {},
    head: () =>
      Promise.resolve({
        treeSize: 0,
        leaves: 0,
        events: 0,
        checkpoints: [checkpoint],
        newestPublishedMs: null,
      }),
    hashReader: () => new MemoryHashStore(),
  };
}

describe('verifyCustody', () => {
  it('passes an empty ledger whose checkpoint verifies', async () => {
    const note = signCheckpoint(empty, signer);
    const report = await verifyCustody(reader({ id: 1, treeSize: 0, rootHash: EMPTY_TREE_ROOT, note }), {
      verifierFor: () => verifier,
    });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('reports a checkpoint it has no key for as a finding, not an error', async () => {
    const note = signCheckpoint(empty, signer);
    const report = await verifyCustody(reader({ id: 1, treeSize: 0, rootHash: EMPTY_TREE_ROOT, note }), {
      verifierFor: () => undefined,
    });
    expect(report.findings).toEqual([
      {
        source: 'okta',
        code: 'CHECKPOINT_SIGNATURE_INVALID',
        checkpointId: 1,
        treeSize: 0,
        message:
          'checkpoint #1 (size 0) does not verify with the ledger key: no verifier key for source okta',
      },
    ]);
  });

  it('throws a TypeError when the reader yields ranges out of order (a broken CustodyReader)', async () => {
    const note = signCheckpoint(empty, signer);
    const stray: LeafRangeResult = {
      from: 5,
      count: 1,
      subtrees: [new Uint8Array(32)],
      events: 0,
      findings: [],
    };
    const run = verifyCustody(reader({ id: 1, treeSize: 0, rootHash: EMPTY_TREE_ROOT, note }, [stray]), {
      verifierFor: () => verifier,
    });
    await expect(run).rejects.toThrow(TypeError);
  });
});
