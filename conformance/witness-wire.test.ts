import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCosigner, formatCosignatureVerifierKey } from '../src/ledger/cosignature-v1.js';
import { parseCheckpoint } from '../src/ledger/checkpoint.js';
import { parseVerifierKey } from '../src/ledger/note-key.js';
import { signNote } from '../src/ledger/signed-note.js';
import { formatAddCheckpointRequest, parseAddCheckpointRequest } from '../src/witness/add-checkpoint.js';
import { Witness } from '../src/witness/witness-service.js';
import { WitnessStateFile } from '../src/witness/witness-state.js';
import { tempDir } from '../test/support/temp-dir.js';
import { CONFORMANCE_DIR, conformancePath } from './shared-conformance.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the vector file is untyped JSON read only here */
const file: any = CONFORMANCE_DIR
  ? JSON.parse(readFileSync(conformancePath('ledger', 'c2sp-generated-checkpoints.json'), 'utf8'))
  : undefined;

/**
 * The witness's wire format against ../shared/conformance/ledger/c2sp-generated-checkpoints.json:
 * checkpoints signed with Go's x/mod note.Sign and cosigned by two witness keys from a cosigner
 * written from c2sp.org/tlog-cosignature, and a tlog-witness add-checkpoint request (old 4 → 8).
 */
describe.skipIf(!CONFORMANCE_DIR)('tlog-witness and tlog-cosignature wire format (c2sp vectors)', () => {
  const cosigners = () =>
    (file.witnesses as any[]).map((w, j) => ({
      vkey: w.vkey as string,
      // The file's rule: witness j cosigns size s at time 1700000000 + 1000*s + j.
      at: (size: number) =>
        createCosigner(w.name, Buffer.from(w.seed_hex, 'hex'), () => BigInt(1_700_000_000 + 1000 * size + j)),
    }));

  it('our cosigner reproduces every witness line of every vector checkpoint byte for byte', () => {
    for (const cp of file.checkpoints as any[]) {
      for (const { vkey, at } of cosigners()) {
        const cosigner = at(cp.tree_size);
        expect(formatCosignatureVerifierKey(cosigner)).toBe(vkey);
        const line = signNote(cp.body, cosigner).slice(cp.body.length + 1);
        expect(cp.signed_note).toContain(line);
      }
    }
  });

  it('the add-checkpoint request parses to old 4, its proof and the checkpoint, and formats back identically', () => {
    const body: string = file.tlog_witness_add_checkpoint_request_old4_new8;
    const request = parseAddCheckpointRequest(Buffer.from(body));
    expect(request.oldSize).toBe(4);
    expect(request.proof.map((h) => h.toString('base64'))).toEqual([body.split('\n')[1]]);
    expect(request.checkpoint).toBe(file.checkpoints.find((c: any) => c.tree_size === 8).signed_note);
    expect(formatAddCheckpointRequest(request)).toBe(body);
  });

  it('a witness that cosigned size 4 accepts the request and answers with a line the vector key verifies', () => {
    const four = file.checkpoints.find((c: any) => c.tree_size === 4);
    const state = WitnessStateFile.open(path.join(tempDir('vigil-witness-vectors-'), 'state.json'));
    state.record(file.log.origin, { size: 4, rootHash: Buffer.from(four.root_hex, 'hex') });
    const { at } = cosigners()[0]!;
    const witness = new Witness([parseVerifierKey(file.log.vkey)], state, at(8));
    const reply = witness.addCheckpoint(Buffer.from(file.tlog_witness_add_checkpoint_request_old4_new8));
    expect(reply.status).toBe(200);
    // Deterministic Ed25519 at the rule's time: exactly witness 1's line in the vector checkpoint of size 8.
    const eight = file.checkpoints.find((c: any) => c.tree_size === 8);
    expect(eight.signed_note).toContain(reply.body);
    expect(state.latest(parseCheckpoint(eight.body).origin)?.size).toBe(8);
  });
});
