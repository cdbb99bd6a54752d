import { describe, expect, it } from 'vitest';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { createSigner, formatVerifierKey, parseVerifierKey } from '../../src/ledger/note-key.js';
import { signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import { checkAgainstCheckpoint, checkpointOrigin } from '../../src/verify/external-checkpoint.js';

const signer = createSigner('vigil.test/okta', Buffer.alloc(32, 3));
const verifier = parseVerifierKey(formatVerifierKey(signer));
const leaves = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => hashLeaf(Buffer.from(`leaf ${from + i}`)));

/** A log of `size` leaves, and the signed checkpoint of its first `at` leaves. */
function logAndCheckpoint(size: number, at: number) {
  const early = new MemoryHashStore();
  early.append(leaves(0, at));
  const note = signCheckpoint({ origin: signer.name, size: at, rootHash: early.root() }, signer);
  const hashes = new MemoryHashStore();
  hashes.append(leaves(0, size));
  return { note, state: { log: 'okta', size, root: hashes.root(), hashes } };
}

describe('checkAgainstCheckpoint: a log against a checkpoint kept elsewhere', () => {
  it.each([
    [10, 10],
    [1000, 7],
    [1000, 512],
    [5, 0],
  ])('passes a log of %i leaves that extends a checkpoint of %i', async (size, at) => {
    const { note, state } = logAndCheckpoint(size, at);
    expect(await checkAgainstCheckpoint(note, verifier, state, 'cp.note')).toEqual([]);
  });

  it('fails a log smaller than the checkpoint, naming both sizes and where it came from', async () => {
    const { note } = logAndCheckpoint(20, 20);
    const { state } = logAndCheckpoint(12, 12);
    expect(await checkAgainstCheckpoint(note, verifier, state, 'cp.note')).toEqual([
      {
        code: 'TREE_ROLLED_BACK',
        source: 'okta',
        file: 'cp.note',
        treeSize: 20,
        message:
          'log okta has 12 leaves, but the checkpoint from cp.note signs 20: the log was truncated or rolled back below size 20',
      },
    ]);
  });

  it('fails a log rewritten below the checkpoint (a fork), even when it has grown since', async () => {
    const { note } = logAndCheckpoint(30, 30);
    const forked = new MemoryHashStore();
    forked.append([...leaves(0, 29), hashLeaf(Buffer.from('other')), ...leaves(30, 40)]);
    const state = { log: 'okta', size: 40, root: forked.root(), hashes: forked };
    const findings = await checkAgainstCheckpoint(note, verifier, state, 'cp.note');
    expect(findings.map((f) => [f.code, f.treeSize])).toEqual([['TREE_INCONSISTENT', 30]]);
    const same = {
      ...state,
      size: 30,
      root: (() => {
        const s = new MemoryHashStore();
        s.append([...leaves(0, 29), hashLeaf(Buffer.from('other'))]);
        return s.root();
      })(),
    };
    expect((await checkAgainstCheckpoint(note, verifier, same, 'cp.note')).map((f) => f.code)).toEqual([
      'TREE_INCONSISTENT',
    ]);
  });

  it('fails a checkpoint that does not verify, or that there is no key for', async () => {
    const { note, state } = logAndCheckpoint(10, 10);
    const other = parseVerifierKey(formatVerifierKey(createSigner('vigil.test/okta', Buffer.alloc(32, 4))));
    expect((await checkAgainstCheckpoint(note, other, state, 'cp.note')).map((f) => f.code)).toEqual([
      'EXTERNAL_CHECKPOINT_INVALID',
    ]);
    expect((await checkAgainstCheckpoint(note, undefined, state, 'cp.note'))[0]!.message).toBe(
      'the checkpoint from cp.note cannot be checked: no verifier key for log okta',
    );
  });

  it('reads the origin a note names without verifying it', () => {
    expect(checkpointOrigin(logAndCheckpoint(1, 1).note)).toBe('vigil.test/okta');
    expect(checkpointOrigin('no newline')).toBeUndefined();
  });
});
