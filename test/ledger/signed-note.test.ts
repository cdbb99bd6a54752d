import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../../src/ledger/checkpoint.js';
import { EMPTY_TREE_ROOT } from '../../src/ledger/merkle-hash.js';
import {
  createSigner,
  formatSignerKey,
  formatVerifierKey,
  parseSignerKey,
  parseVerifierKey,
} from '../../src/ledger/note-key.js';
import { openCheckpoint, signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import { openNote, signNote } from '../../src/ledger/signed-note.js';
import { expectCode } from '../support/expect-code.js';

// Fixed test seeds so signatures are reproducible (Ed25519 is deterministic, RFC 8032).
const logSigner = createSigner('vigil.test/okta', Buffer.alloc(32, 7));
const otherSigner = createSigner('vigil.test/okta', Buffer.alloc(32, 8));
const root = Buffer.alloc(32, 0xab);

describe('note keys', () => {
  it('formats the C2SP vkey and Go signer key and parses them back', () => {
    const vkey = formatVerifierKey(logSigner);
    expect(vkey).toMatch(/^vigil\.test\/okta\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    expect(parseVerifierKey(vkey).keyId).toBe(logSigner.keyId);
    const skey = formatSignerKey(logSigner);
    expect(skey.startsWith('PRIVATE+KEY+vigil.test/okta+')).toBe(true);
    expect(parseSignerKey(skey).publicKey.equals(logSigner.publicKey)).toBe(true);
  });

  it('rejects a vkey whose key ID does not match, a bad name or a non-Ed25519 type', () => {
    const vkey = formatVerifierKey(logSigner);
    const [name, id, key] = [
      vkey.slice(0, vkey.indexOf('+')),
      vkey.split('+')[1] as string,
      vkey.slice(vkey.indexOf('+', vkey.indexOf('+') + 1) + 1),
    ];
    const wrongId = (Number.parseInt(id, 16) ^ 1).toString(16).padStart(8, '0');
    for (const bad of [`${name}+${wrongId}+${key}`, `bad name+${id}+${key}`, `${name}+${id}`, 'x']) {
      expectCode(() => parseVerifierKey(bad), 'LEDGER_KEY_INVALID', bad);
    }
    expectCode(() => createSigner('a+b', Buffer.alloc(32)), 'LEDGER_KEY_INVALID');
  });
});

describe('signed notes', () => {
  const verifier = parseVerifierKey(formatVerifierKey(logSigner));

  it('round-trips and ignores signatures from unknown keys', () => {
    const note = signNote('hello\n', logSigner, otherSigner);
    const opened = openNote(note, [verifier]);
    expect(opened.text).toBe('hello\n');
    expect(opened.signatures.map((s) => s.keyId)).toEqual([logSigner.keyId]);
    expect(opened.unverified.map((s) => s.keyId)).toEqual([otherSigner.keyId]);
  });

  it('rejects tampered text, a forged signature, another key only, and malformed notes', () => {
    const note = signNote('hello\n', logSigner);
    expectCode(() => openNote(note.replace('hello', 'hellp'), [verifier]), 'LEDGER_NOTE_SIGNATURE_INVALID');
    const forged = signNote('hello\n', otherSigner).replace(
      / [^ ]+\n$/,
      ` ${Buffer.concat([Buffer.from(logSigner.keyId.toString(16).padStart(8, '0'), 'hex'), Buffer.alloc(64)]).toString('base64')}\n`,
    );
    expectCode(() => openNote(forged, [verifier]), 'LEDGER_NOTE_SIGNATURE_INVALID');
    expectCode(() => openNote(signNote('hello\n', otherSigner), [verifier]), 'LEDGER_NOTE_UNVERIFIED');
    expectCode(() => openNote('hello\n', [verifier]), 'LEDGER_NOTE_MALFORMED');
    expectCode(() => openNote(note.slice(0, -1), [verifier]), 'LEDGER_NOTE_MALFORMED');
    expectCode(() => openNote(`${note}trailing\n`, [verifier]), 'LEDGER_NOTE_MALFORMED');
    expectCode(() => signNote('no newline', logSigner), 'LEDGER_NOTE_MALFORMED');
  });
});

describe('checkpoints', () => {
  it('formats the C2SP body and parses it strictly', () => {
    const body = formatCheckpoint({ origin: 'vigil.test/okta', size: 42, rootHash: root });
    expect(body).toBe(`vigil.test/okta\n42\n${root.toString('base64')}\n`);
    expect(parseCheckpoint(body)).toEqual({
      origin: 'vigil.test/okta',
      size: 42,
      rootHash: root,
      extensions: [],
    });
    const bad = [
      body.replace('\n42\n', '\n042\n'),
      body.replace('\n42\n', '\n-1\n'),
      body.replace(root.toString('base64'), root.subarray(0, 31).toString('base64')),
      body.replace(root.toString('base64'), root.toString('base64url')),
      body.slice(0, -1),
      `\n42\n${root.toString('base64')}\n`,
      `${body}extra\n`,
    ];
    for (const text of bad) {
      expectCode(() => parseCheckpoint(text), 'LEDGER_CHECKPOINT_MALFORMED', JSON.stringify(text));
    }
  });

  it('signs with the origin key and opens only with it', () => {
    const note = signCheckpoint({ origin: 'vigil.test/okta', size: 0, rootHash: EMPTY_TREE_ROOT }, logSigner);
    const verifier = parseVerifierKey(formatVerifierKey(logSigner));
    expect(openCheckpoint(note, verifier).rootHash.equals(EMPTY_TREE_ROOT)).toBe(true);
    const other = parseVerifierKey(formatVerifierKey(otherSigner));
    expectCode(() => openCheckpoint(note, other), 'LEDGER_NOTE_UNVERIFIED');
    const foreign = createSigner('vigil.test/google', Buffer.alloc(32, 7));
    expectCode(
      () => signCheckpoint({ origin: 'vigil.test/okta', size: 0, rootHash: EMPTY_TREE_ROOT }, foreign),
      'LEDGER_KEY_INVALID',
    );
    const mislabelled = signNote(`vigil.test/google\n0\n${EMPTY_TREE_ROOT.toString('base64')}\n`, logSigner);
    expectCode(() => openCheckpoint(mislabelled, verifier), 'LEDGER_CHECKPOINT_MALFORMED');
  });
});
