import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatVerifierKey } from '../../src/ledger/note-key.js';
import {
  createSigningKeyFile,
  loadOrCreateSigningKey,
  loadSigningKeyFile,
  loadVerifierKey,
  signingKeyPath,
  verifierKeyPath,
} from '../../src/keys/signing-key-file.js';
import { ledgerOrigin } from '../../src/ledger/ledger-log.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';

const freshDir = (): string => tempDir('vigil-key-');

describe('signing key file', () => {
  it('first use creates a 0600 key named after the origin; later use loads the same key', () => {
    const dir = freshDir();
    const origin = ledgerOrigin('okta');
    expect(origin).toBe('vigil.local/okta');
    const created = loadOrCreateSigningKey(dir, origin);
    const file = signingKeyPath(dir, origin);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^PRIVATE\+KEY\+vigil\.local\/okta\+[0-9a-f]{8}\+/);
    expect(created.name).toBe(origin);
    const loaded = loadOrCreateSigningKey(dir, origin);
    expect(formatVerifierKey(loaded)).toBe(formatVerifierKey(created));
  });

  it('refuses a key file readable by group or others', () => {
    const dir = freshDir();
    const file = path.join(dir, 'k.key');
    createSigningKeyFile(file, 'vigil.local/okta');
    for (const mode of [0o640, 0o604, 0o660]) {
      chmodSync(file, mode);
      expect(expectCode(() => loadSigningKeyFile(file), 'KEY_FILE_INSECURE', mode.toString(8)).category).toBe(
        'input',
      );
    }
    chmodSync(file, 0o400);
    expect(loadSigningKeyFile(file).name).toBe('vigil.local/okta');
  });

  it('never overwrites an existing key and reports a missing one', () => {
    const dir = freshDir();
    const file = path.join(dir, 'k.key');
    createSigningKeyFile(file, 'vigil.local/okta');
    expectCode(() => createSigningKeyFile(file, 'vigil.local/okta'), 'KEY_FILE_EXISTS');
    expectCode(() => loadSigningKeyFile(path.join(dir, 'none.key')), 'KEY_FILE_MISSING');
  });
});

describe('verifier key file', () => {
  const origin = ledgerOrigin('okta');

  it('a writer writes the verifier key beside the signing key; a verifier reads it', () => {
    const dir = freshDir();
    const signer = loadOrCreateSigningKey(dir, origin);
    const vkey = verifierKeyPath(dir, origin);
    expect(vkey).toBe(signingKeyPath(dir, origin).replace(/\.key$/, '.vkey'));
    expect(readFileSync(vkey, 'utf8')).toBe(`${formatVerifierKey(signer)}\n`);
    const verifier = loadVerifierKey(dir, origin);
    expect(verifier.name).toBe(origin);
    expect(formatVerifierKey(verifier)).toBe(formatVerifierKey(signer));
  });

  it('derives the verifier key from the signing key when no .vkey exists, writing nothing', () => {
    const dir = freshDir();
    const signer = loadOrCreateSigningKey(dir, origin);
    rmSync(verifierKeyPath(dir, origin));
    expect(formatVerifierKey(loadVerifierKey(dir, origin))).toBe(formatVerifierKey(signer));
    expect(existsSync(verifierKeyPath(dir, origin))).toBe(false);
  });

  it('never creates a key: neither file present is KEY_FILE_MISSING, and the directory stays empty', () => {
    const dir = freshDir();
    expectCode(() => loadVerifierKey(dir, origin), 'KEY_FILE_MISSING');
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a key file holding another ledger's key", () => {
    const dir = freshDir();
    createSigningKeyFile(signingKeyPath(dir, origin), ledgerOrigin('other'));
    expectCode(() => loadOrCreateSigningKey(dir, origin), 'KEY_FILE_INVALID');
    expectCode(() => loadVerifierKey(dir, origin), 'KEY_FILE_INVALID');
  });
});
