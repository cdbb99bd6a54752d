import { encodeLeafEnvelope, leafEnvelopeFor } from '../../src/ledger/leaf-envelope.js';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { createSigner, formatVerifierKey } from '../../src/ledger/note-key.js';
import { inclusionProofToJson, type InclusionProofJson } from '../../src/ledger/proof-json.js';
import { inclusionProof, treeRoot } from '../../src/ledger/proofs.js';
import { signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import { formatTlogProof } from '../../src/ledger/tlog-proof.js';
import type { EvidenceBundle } from '../../src/verify/evidence-bundle.js';

/** A four-event evidence bundle built in memory, signed by `signer` (tests of checkEvidenceBundle and verify-bundle). */
export const signer = createSigner('vigil.test/okta', Buffer.alloc(32, 7));
export const events = Array.from({ length: 4 }, (_, i) => JSON.stringify({ uuid: `event-${i}`, n: i }));
const leafData = events.map((raw, i) =>
  encodeLeafEnvelope(leafEnvelopeFor('okta', `event-${i}`, '2024-01-01T00:00:00.000Z', JSON.parse(raw), raw)),
);
export const store = new MemoryHashStore();
store.append(leafData.map(hashLeaf));

export async function proofJson(index: number, size: number): Promise<InclusionProofJson> {
  return inclusionProofToJson({
    treeSize: size,
    rootHash: await treeRoot(size, store),
    leafIndex: index,
    leafData: leafData[index]!,
    proof: await inclusionProof(index, size, store),
  });
}

export async function bundle(size = 4, by = signer): Promise<EvidenceBundle> {
  const checkpoint = signCheckpoint({ origin: by.name, size, rootHash: await treeRoot(size, store) }, by);
  const indices = Array.from({ length: size }, (_, i) => i);
  return {
    checkpoint,
    verifierKey: formatVerifierKey(by),
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
