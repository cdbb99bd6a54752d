import { describe, expect, it } from 'vitest';
import { encodeLeafEnvelope, leafEnvelopeFor } from '../../src/ledger/leaf-envelope.js';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { createSigner, formatVerifierKey } from '../../src/ledger/note-key.js';
import { inclusionProofToJson, type InclusionProofJson } from '../../src/ledger/proof-json.js';
import { inclusionProof, treeRoot } from '../../src/ledger/proofs.js';
import { signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import { formatTlogProof } from '../../src/ledger/tlog-proof.js';
import { checkEvidenceBundle, type EvidenceBundle } from '../../src/verify/evidence-bundle.js';

const signer = createSigner('vigil.test/okta', Buffer.alloc(32, 7));
const events = Array.from({ length: 4 }, (_, i) => JSON.stringify({ uuid: `event-${i}`, n: i }));
const leafData = events.map((raw, i) =>
  encodeLeafEnvelope(leafEnvelopeFor('okta', `event-${i}`, '2024-01-01T00:00:00.000Z', JSON.parse(raw), raw)),
);
const store = new MemoryHashStore();
store.append(leafData.map(hashLeaf));

async function proofJson(index: number, size: number): Promise<InclusionProofJson> {
  return inclusionProofToJson({
    treeSize: size,
    rootHash: await treeRoot(size, store),
    leafIndex: index,
    leafData: leafData[index]!,
    proof: await inclusionProof(index, size, store),
  });
}

async function bundle(size = 4): Promise<EvidenceBundle> {
  const checkpoint = signCheckpoint(
    { origin: signer.name, size, rootHash: await treeRoot(size, store) },
    signer,
  );
  const indices = Array.from({ length: size }, (_, i) => i);
  return {
    checkpoint,
    verifierKey: formatVerifierKey(signer),
    events: events.slice(0, size),
    proofs: await Promise.all(indices.map((i) => proofJson(i, size))),
    tlogProofs: await Promise.all(
      indices.map(async (i) => ({
        name: `proofs/${i}.tlog-proof`,
        text: formatTlogProof({
          extra: leafData[i]!,
          index: i,
          proof: await inclusionProof(i, size, store),
          checkpoint,
        }),
      })),
    ),
  };
}

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
