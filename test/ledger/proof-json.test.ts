import { describe, expect, it } from 'vitest';
import { encodeLeafEnvelope, leafEnvelopeFor } from '../../src/ledger/leaf-envelope.js';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import {
  consistencyProofToJson,
  inclusionProofToJson,
  parseConsistencyProofJson,
  parseInclusionProofJson,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '../../src/ledger/proof-json.js';
import { consistencyProof, inclusionProof, treeRoot } from '../../src/ledger/proofs.js';
import { expectCode } from '../support/expect-code.js';

const leafData = Array.from({ length: 21 }, (_, i) =>
  encodeLeafEnvelope(
    leafEnvelopeFor('okta', `event-${i}`, '2024-01-01T00:00:00.000Z', { uuid: `event-${i}` }),
  ),
);
const store = new MemoryHashStore();
store.append(leafData.map(hashLeaf));

async function inclusionJson(index: number, size: number): Promise<Record<string, unknown>> {
  const proof = await inclusionProof(index, size, store);
  const json = inclusionProofToJson({
    treeSize: size,
    rootHash: await treeRoot(size, store),
    leafIndex: index,
    leafData: leafData[index] as Buffer,
    proof,
  });
  return JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
}

describe('proof JSON (docs/design.md contract)', () => {
  it('inclusion: exact field set, standard base64, parses and verifies', async () => {
    const json = await inclusionJson(7, 21);
    expect(Object.keys(json).sort()).toEqual([
      'leafData',
      'leafHash',
      'leafIndex',
      'proof',
      'rootHash',
      'treeSize',
    ]);
    expect(Buffer.from(json.leafData as string, 'base64').equals(leafData[7] as Buffer)).toBe(true);
    verifyInclusionProof(parseInclusionProofJson(json));
  });

  it('inclusion: tampered leaf data, hash, proof or index are rejected with stable codes', async () => {
    const json = await inclusionJson(7, 21);
    const otherLeaf = (leafData[8] as Buffer).toString('base64');
    expectCode(
      () => parseInclusionProofJson({ ...json, leafData: otherLeaf }),
      'LEDGER_INCLUSION_PROOF_INVALID',
    );
    const swapped = {
      ...json,
      leafData: otherLeaf,
      leafHash: hashLeaf(leafData[8] as Buffer).toString('base64'),
    };
    expectCode(
      () => verifyInclusionProof(parseInclusionProofJson(swapped)),
      'LEDGER_INCLUSION_PROOF_INVALID',
    );
    expectCode(
      () => verifyInclusionProof(parseInclusionProofJson({ ...json, leafIndex: 6 })),
      'LEDGER_INCLUSION_PROOF_INVALID',
    );
    const notBase64 = expectCode(
      () => parseInclusionProofJson({ ...json, proof: ['not base64!'] }),
      'LEDGER_PROOF_JSON_INVALID',
    );
    expect(notBase64.message).toBe('proof JSON invalid: proof.0: standard base64');
    expect(notBase64.details).toMatchObject({ path: ['proof', 0] });
    expectCode(() => parseInclusionProofJson({ ...json, extra: 1 }), 'LEDGER_PROOF_JSON_INVALID');
  });

  it('consistency: exact field set, parses and verifies; a wrong old root is rejected', async () => {
    const proof = await consistencyProof(13, 21, store);
    const json = JSON.parse(
      JSON.stringify(
        consistencyProofToJson({
          oldSize: 13,
          oldRoot: await treeRoot(13, store),
          treeSize: 21,
          rootHash: await treeRoot(21, store),
          proof,
        }),
      ),
    ) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['oldRoot', 'oldSize', 'proof', 'rootHash', 'treeSize']);
    verifyConsistencyProof(parseConsistencyProofJson(json));
    const wrong = { ...json, oldRoot: (await treeRoot(12, store)).toString('base64') };
    expectCode(
      () => verifyConsistencyProof(parseConsistencyProofJson(wrong)),
      'LEDGER_CONSISTENCY_PROOF_INVALID',
    );
  });
});
