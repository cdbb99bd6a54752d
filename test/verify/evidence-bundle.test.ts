import { describe, expect, it } from 'vitest';
import { inclusionProof } from '../../src/ledger/proofs.js';
import { formatTlogProof } from '../../src/ledger/tlog-proof.js';
import { checkEvidenceBundle, type EvidenceBundle } from '../../src/verify/evidence-bundle.js';
import { bundle, proofJson, store } from './bundle-fixture.js';

const messages = (b: EvidenceBundle) => checkEvidenceBundle(b).findings.map((f) => f.message);

describe('checkEvidenceBundle', () => {
  it('passes an untouched bundle', async () => {
    expect(checkEvidenceBundle(await bundle())).toMatchObject({
      ok: true,
      events: 4,
      treeSize: 4,
      findings: [],
    });
  });

  it('names the proof that is against another tree', async () => {
    const b = await bundle();
    const proofs = [await proofJson(0, 3), ...b.proofs.slice(1)];
    expect(messages({ ...b, proofs })).toEqual(['proof 1: proof is against tree 3, the checkpoint signs 4']);
  });

  it('names a proof whose event is not in events.jsonl', async () => {
    const b = await bundle();
    expect(messages({ ...b, events: b.events.slice(1) })).toEqual([
      'proof 1: event event-0 is missing from events.jsonl',
      'proofs/0.tlog-proof: event event-0 is missing from events.jsonl',
    ]);
  });

  it('names a tlog-proof with another checkpoint or no leaf envelope', async () => {
    const b = await bundle();
    const [first, second, ...rest] = b.tlogProofs!;
    const other = (await bundle(3)).checkpoint;
    const withoutExtra = formatTlogProof({
      index: 1,
      proof: await inclusionProof(1, 4, store),
      checkpoint: b.checkpoint,
    });
    const tlogProofs = [
      { name: first!.name, text: first!.text.replace(b.checkpoint, other) },
      { name: second!.name, text: withoutExtra },
      ...rest,
    ];
    expect(messages({ ...b, tlogProofs })).toEqual([
      'proofs/0.tlog-proof: its checkpoint is not the bundled checkpoint',
      'proofs/1.tlog-proof: no extra line carrying the leaf envelope',
    ]);
  });

  it('names the proof line and the key path of malformed proof JSON', async () => {
    const b = await bundle();
    const proofs = [b.proofs[0]!, { ...b.proofs[1]!, rootHash: 'not base64!' }, ...b.proofs.slice(2)];
    expect(messages({ ...b, proofs })).toEqual(['proof 2: proof JSON invalid: rootHash: standard base64']);
  });
});
