import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCheckpoint } from '../../src/ledger/checkpoint.js';
import {
  createCosigner,
  formatCosignatureVerifierKey,
  parseCosignatureVerifierKey,
} from '../../src/ledger/cosignature-v1.js';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { createSigner, parseVerifierKey, formatVerifierKey } from '../../src/ledger/note-key.js';
import { consistencyProof, treeRoot } from '../../src/ledger/proofs.js';
import { signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import { openNote, signNote } from '../../src/ledger/signed-note.js';
import { TLOG_SIZE_CONTENT_TYPE } from '../../src/witness/add-checkpoint.js';
import { addCheckpoint } from '../../src/witness/witness-client.js';
import { startWitnessServer, type RunningWitnessServer } from '../../src/witness/witness-server.js';
import { Witness } from '../../src/witness/witness-service.js';
import { WitnessStateFile } from '../../src/witness/witness-state.js';
import { tempDir } from '../support/temp-dir.js';

const origin = 'vigil.test/okta';
const log = createSigner(origin, Buffer.alloc(32, 1));
const impostor = createSigner(origin, Buffer.alloc(32, 2));
const stranger = createSigner('other.test/log', Buffer.alloc(32, 3));
const TIME = 1_773_144_000n;
const cosigner = createCosigner('witness.test/w1', Buffer.alloc(32, 9), () => TIME);
const cosignerKey = parseCosignatureVerifierKey(formatCosignatureVerifierKey(cosigner));

/** The log's tree: 20 leaves, and a fork of it that differs from leaf 6 on. */
const tree = new MemoryHashStore();
tree.append(Array.from({ length: 20 }, (_, i) => hashLeaf(`leaf ${i}`)));
const fork = new MemoryHashStore();
fork.append(Array.from({ length: 20 }, (_, i) => hashLeaf(i < 6 ? `leaf ${i}` : `forged ${i}`)));

async function checkpoint(size: number, store = tree, signer = log): Promise<string> {
  return signCheckpoint({ origin: signer.name, size, rootHash: await treeRoot(size, store) }, signer);
}

let server: RunningWitnessServer | undefined;
afterEach(async () => server?.close());

async function startWitness(dir = tempDir('vigil-witness-')) {
  const stateFile = path.join(dir, 'state.json');
  const witness = new Witness(
    [parseVerifierKey(formatVerifierKey(log))],
    WitnessStateFile.open(stateFile),
    cosigner,
  );
  server = await startWitnessServer(witness, { host: '127.0.0.1', port: 0 });
  const submit = async (oldSize: number, note: string, proof?: Buffer[], store = tree) => {
    const size = Number(note.split('\n')[1]);
    return addCheckpoint(fetch, server!.url, {
      oldSize,
      proof: proof ?? (oldSize === 0 ? [] : await consistencyProof(oldSize, size, store)),
      checkpoint: note,
    });
  };
  return { stateFile, submit, url: server.url };
}

describe('vigil witness over HTTP (c2sp.org/tlog-witness v1.0.0)', () => {
  it('cosigns a first checkpoint from old 0: a cosignature/v1 line over the note, by its key and time', async () => {
    const { submit, stateFile } = await startWitness();
    const note = await checkpoint(7);
    const outcome = await submit(0, note);
    expect(outcome.kind).toBe('cosigned');
    const lines = outcome.kind === 'cosigned' ? outcome.lines : [];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\u2014 witness\.test\/w1 [A-Za-z0-9+/]{102}==\n$/);
    const opened = openNote(note + lines.join(''), [cosignerKey]);
    expect(opened.signatures.map((s) => s.name)).toEqual(['witness.test/w1']);
    expect(cosignerKey.timestampOf(Buffer.from(opened.signatures[0]!.base64, 'base64').subarray(4))).toBe(
      TIME,
    );
    // Persisted before the answer: the state file already holds size 7 and its root.
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      logs: Record<string, { size: number; root: string }>;
    };
    expect(saved.logs[origin]).toEqual({ size: 7, root: (await treeRoot(7, tree)).toString('base64') });
  });

  it('moves forward only with a consistency proof from the size it last cosigned', async () => {
    const { submit } = await startWitness();
    await submit(0, await checkpoint(7));
    expect(await submit(7, await checkpoint(13))).toMatchObject({ kind: 'cosigned' });
    // Equal size, same root: cosigned again (a fresher timestamp for the same tree).
    expect(await submit(13, await checkpoint(13))).toMatchObject({ kind: 'cosigned' });
  });

  it('answers 409 text/x.tlog.size with its size when the old size is not the one it cosigned', async () => {
    const { submit, url } = await startWitness();
    await submit(0, await checkpoint(13));
    expect(await submit(0, await checkpoint(20))).toEqual({ kind: 'conflict', witnessSize: 13 });
    const raw = await fetch(`${url}/add-checkpoint`, {
      method: 'POST',
      body: `old 7\n${(await consistencyProof(7, 20, tree)).map((h) => h.toString('base64') + '\n').join('')}\n${await checkpoint(20)}`,
    });
    expect(raw.status).toBe(409);
    expect(raw.headers.get('content-type')).toBe(TLOG_SIZE_CONTENT_TYPE);
    expect(await raw.text()).toBe('13\n');
  });

  it('refuses a rollback: a smaller tree after a larger one is never cosigned', async () => {
    const { submit, stateFile } = await startWitness();
    await submit(0, await checkpoint(13));
    // Claiming the old size it cosigned with a smaller checkpoint: old > size is a bad request.
    expect(await submit(13, await checkpoint(9), [])).toMatchObject({ kind: 'refused', status: 400 });
    // Claiming a smaller old size: 409 with the size it holds.
    expect(await submit(9, await checkpoint(9), [])).toEqual({ kind: 'conflict', witnessSize: 13 });
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).logs[origin].size).toBe(13);
  });

  it('refuses a fork: 409 for another root at its size, 422 for a proof that does not join its tree', async () => {
    const { submit, stateFile } = await startWitness();
    await submit(0, await checkpoint(13));
    const before = readFileSync(stateFile, 'utf8');
    expect(await submit(13, await checkpoint(13, fork), [])).toMatchObject({ kind: 'refused', status: 409 });
    expect(await submit(13, await checkpoint(20, fork), undefined, fork)).toMatchObject({
      kind: 'refused',
      status: 422,
    });
    expect(readFileSync(stateFile, 'utf8')).toBe(before);
  });

  it('404 for an origin it does not witness, 403 for a checkpoint no trusted key signed or with a bad signature', async () => {
    const { submit } = await startWitness();
    expect(await submit(0, await checkpoint(5, tree, stranger))).toMatchObject({
      kind: 'refused',
      status: 404,
    });
    expect(await submit(0, await checkpoint(5, tree, impostor))).toMatchObject({
      kind: 'refused',
      status: 403,
    });
    const tampered = (await checkpoint(5)).replace(/ [A-Za-z0-9+/]{10}/, ' AAAAAAAAAA');
    expect(await submit(0, tampered)).toMatchObject({ kind: 'refused', status: 403 });
  });

  it('400 for malformed requests; a size-0 checkpoint must carry the empty-tree root (422)', async () => {
    const { url, submit } = await startWitness();
    const post = async (body: string | Buffer) =>
      (await fetch(`${url}/add-checkpoint`, { method: 'POST', body })).status;
    const note = await checkpoint(5);
    expect(await post(`old 05\n\n${note}`)).toBe(400);
    expect(await post(`old 0\n${note}`)).toBe(400);
    expect(await post(`old 0\nnot base64!\n\n${note}`)).toBe(400);
    expect(
      await post(Buffer.concat([Buffer.from('old 0\n\n'), Buffer.from([0xff]), Buffer.from(note)])),
    ).toBe(400);
    expect(await post('x'.repeat(70_000))).toBe(413);
    expect((await fetch(`${url}/add-checkpoint`)).status).toBe(405);
    const emptyWithRoot = signNote(
      formatCheckpoint({ origin, size: 0, rootHash: await treeRoot(3, tree) }),
      log,
    );
    expect(await submit(0, emptyWithRoot)).toMatchObject({ kind: 'refused', status: 422 });
  });

  it('keeps its state across a restart: the same data directory still refuses the rollback', async () => {
    const dir = tempDir('vigil-witness-');
    const first = await startWitness(dir);
    await first.submit(0, await checkpoint(13));
    await server!.close();
    const second = await startWitness(dir);
    expect(await second.submit(0, await checkpoint(9))).toEqual({ kind: 'conflict', witnessSize: 13 });
  });
});
