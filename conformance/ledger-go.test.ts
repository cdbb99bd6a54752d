import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeLeafEnvelope, leafEnvelopeFor } from '../src/ledger/leaf-envelope.js';
import { MemoryHashStore } from '../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../src/ledger/merkle-hash.js';
import { createSigner, formatVerifierKey } from '../src/ledger/note-key.js';
import { consistencyProofToJson, inclusionProofToJson } from '../src/ledger/proof-json.js';
import { consistencyProof, inclusionProof, treeRoot } from '../src/ledger/proofs.js';
import { signCheckpoint } from '../src/ledger/signed-checkpoint.js';
import { ManualClock } from '../src/core/clock.js';
import { ledgerReads } from '../src/custody/ledger-reads.js';
import { recordReads } from '../src/custody/record-reads.js';
import { openTestCustody } from '../test/support/open-custody.js';
import { tempDir } from '../test/support/temp-dir.js';
import { buildGoProgram, HAS_GO, INSTALL_GO, RUN_GO_SUITES } from './go-toolchain.js';

/**
 * Independent check (issue 4): Go's golang.org/x/mod/sumdb/note and sumdb/tlog (Debian packages
 * golang-go, golang-golang-x-mod-dev) must accept our signed checkpoints and proofs unchanged, and
 * reject tampered ones. The verifier source is conformance/go/main.go; it is built per run into a
 * temp dir, offline (GOPATH mode over /usr/share/gocode, GOPROXY=off). Without `go` the suite is
 * skipped on a developer's machine, but fails in CI (CI=true), where .ci/run installs it.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

interface GoResult {
  ok: boolean;
  error?: string;
  origin?: string;
  size?: number;
  root?: string;
}

let verifier = '';

/** Sends every request to one verifier process, one JSON line each, and returns its answers in order. */
function runGo(requests: readonly object[]): GoResult[] {
  // Only reached without `go` when CI=true: every test fails, saying what to install.
  if (!HAS_GO) throw new Error(`CI=true and \`go\` is not installed: ${INSTALL_GO}`);
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const run = spawnSync(verifier, [], { input, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as GoResult);
}

const origin = 'vigil.test/okta';
const signer = createSigner(origin, Buffer.alloc(32, 42));
const impostor = createSigner(origin, Buffer.alloc(32, 43));
const vkey = formatVerifierKey(signer);
const leafData = Array.from({ length: 300 }, (_, i) =>
  encodeLeafEnvelope(
    leafEnvelopeFor('okta', `evt-${i}`, '2024-05-01T00:00:00.000Z', { uuid: `evt-${i}`, n: i }),
  ),
);
const store = new MemoryHashStore();
store.append(leafData.map(hashLeaf));
const SIZES = [1, 2, 7, 8, 128, 255, 256, 257, 300];

function tamperBase64(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes.writeUInt8(bytes.readUInt8(0) ^ 1, 0);
  return bytes.toString('base64');
}

describe.skipIf(!RUN_GO_SUITES)('Go x/mod sumdb/note + sumdb/tlog accept our checkpoints and proofs', () => {
  beforeAll(() => {
    if (!HAS_GO) return; // each test fails in runGo, naming what to install
    verifier = buildGoProgram(path.join(here, 'go', 'main.go'), 'verifier');
  });

  it('note.Open accepts our signed checkpoints and rejects tampered or foreign-key ones', async () => {
    const notes = await Promise.all(
      SIZES.map(async (size) =>
        signCheckpoint({ origin, size, rootHash: await treeRoot(size, store) }, signer),
      ),
    );
    const good = runGo(notes.map((note) => ({ kind: 'note', vkey, note })));
    for (const [i, size] of SIZES.entries()) {
      expect(good[i]).toEqual({
        ok: true,
        origin,
        size,
        root: (await treeRoot(size, store)).toString('base64'),
      });
    }
    const first = notes[4] as string;
    const bad = runGo([
      { kind: 'note', vkey, note: first.replace('\n128\n', '\n129\n') },
      {
        kind: 'note',
        vkey,
        note: signCheckpoint({ origin, size: 128, rootHash: await treeRoot(128, store) }, impostor),
      },
      { kind: 'note', vkey, note: first.slice(0, -2) + '\n' },
    ]);
    expect(bad.map((r) => r.ok)).toEqual([false, false, false]);
    expect(bad[0]?.error).toMatch(/invalid signature/);
    expect(bad[1]?.error).toMatch(/no verifiable signatures/);
  });

  it('tlog.CheckRecord accepts our inclusion proof JSON and rejects a tampered one', async () => {
    const proofs = [];
    for (const size of SIZES) {
      for (const index of new Set([0, Math.floor(size / 2), size - 1])) {
        const proof = await inclusionProof(index, size, store);
        const rootHash = await treeRoot(size, store);
        proofs.push(
          inclusionProofToJson({
            treeSize: size,
            rootHash,
            leafIndex: index,
            leafData: leafData[index] as Buffer,
            proof,
          }),
        );
      }
    }
    expect(runGo(proofs.map((proof) => ({ kind: 'inclusion', proof }))).every((r) => r.ok)).toBe(true);
    const sample = proofs[proofs.length - 2] as (typeof proofs)[number];
    const tampered = [
      { ...sample, proof: sample.proof.map((h, i) => (i === 0 ? tamperBase64(h) : h)) },
      { ...sample, rootHash: tamperBase64(sample.rootHash) },
      { ...sample, leafIndex: sample.leafIndex - 1 },
      {
        ...sample,
        leafData: Buffer.from('forged').toString('base64'),
        leafHash: hashLeaf(Buffer.from('forged')).toString('base64'),
      },
    ];
    expect(runGo(tampered.map((proof) => ({ kind: 'inclusion', proof }))).map((r) => r.ok)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('accepts the checkpoints and proofs of a record log (<source>/<kind>) from a real store', async () => {
    const dir = tempDir('vigil-go-records-');
    const clock = new ManualClock('2026-03-10T12:00:00.000Z');
    const opened = await openTestCustody(dir, clock);
    const log = 'okta/config-snapshots';
    for (let batch = 0; batch < 3; batch++) {
      clock.advance(60_000);
      await opened.custody.appendRecords(
        'okta',
        'config-snapshots',
        Array.from({ length: 7 }, (_, i) => ({
          id: `snap-${batch}-${i}`,
          time: new Date(clock.now()).toISOString(),
          body: JSON.stringify({ batch, i }),
        })),
      );
    }
    const reads = ledgerReads(opened.db);
    const latest = await reads.latestCheckpoint(log);
    const first = await reads.checkpointOfSize(log, 7);
    const recordVkey = formatVerifierKey(opened.signerFor(log));
    const hashes = opened.custody.hashReader(log);
    const index = await recordReads(opened.db).leafOfRecord(log, 'snap-1-3');
    const answers = runGo([
      { kind: 'note', vkey: recordVkey, note: latest.note },
      {
        kind: 'inclusion',
        proof: inclusionProofToJson({
          treeSize: latest.treeSize,
          rootHash: latest.rootHash,
          leafIndex: index,
          leafData: await reads.leafData(log, index),
          proof: await inclusionProof(index, latest.treeSize, hashes),
        }),
      },
      {
        kind: 'consistency',
        proof: consistencyProofToJson({
          oldSize: 7,
          oldRoot: first!.rootHash,
          treeSize: latest.treeSize,
          rootHash: latest.rootHash,
          proof: await consistencyProof(7, latest.treeSize, hashes),
        }),
      },
    ]);
    await opened.close();
    expect(answers[0]).toEqual({
      ok: true,
      origin: 'vigil.local/okta/config-snapshots',
      size: 21,
      root: latest.rootHash.toString('base64'),
    });
    expect(answers.slice(1).map((a) => a.ok)).toEqual([true, true]);
  });

  it('tlog.CheckTree accepts our consistency proof JSON and rejects a tampered one', async () => {
    const proofs = [];
    for (const newSize of SIZES) {
      for (const oldSize of SIZES.filter((s) => s < newSize)) {
        const proof = await consistencyProof(oldSize, newSize, store);
        proofs.push(
          consistencyProofToJson({
            oldSize,
            oldRoot: await treeRoot(oldSize, store),
            treeSize: newSize,
            rootHash: await treeRoot(newSize, store),
            proof,
          }),
        );
      }
    }
    expect(runGo(proofs.map((proof) => ({ kind: 'consistency', proof }))).every((r) => r.ok)).toBe(true);
    const sample = proofs[proofs.length - 1] as (typeof proofs)[number];
    const tampered = [
      {
        ...sample,
        proof: sample.proof.map((h, i) => (i === sample.proof.length - 1 ? tamperBase64(h) : h)),
      },
      { ...sample, oldRoot: tamperBase64(sample.oldRoot) },
      { ...sample, oldSize: sample.oldSize + 1 },
    ];
    expect(runGo(tampered.map((proof) => ({ kind: 'consistency', proof }))).map((r) => r.ok)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
