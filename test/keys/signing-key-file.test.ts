import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatVerifierKey } from '../../src/ledger/note-key.js';
import {
  createSigningKeyFile,
  ledgerOrigin,
  loadOrCreateSigningKey,
  loadSigningKeyFile,
  signingKeyPath,
} from '../../src/keys/signing-key-file.js';

const freshDir = (): string => mkdtempSync(path.join(tmpdir(), 'vigil-key-'));

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
      expect(() => loadSigningKeyFile(file)).toThrow(
        expect.objectContaining({ code: 'LEDGER_KEY_FILE_INSECURE', category: 'input' }),
      );
    }
    chmodSync(file, 0o400);
    expect(loadSigningKeyFile(file).name).toBe('vigil.local/okta');
  });

  it('never overwrites an existing key and reports a missing one', () => {
    const dir = freshDir();
    const file = path.join(dir, 'k.key');
    createSigningKeyFile(file, 'vigil.local/okta');
    expect(() => createSigningKeyFile(file, 'vigil.local/okta')).toThrow(
      expect.objectContaining({ code: 'LEDGER_KEY_FILE_EXISTS' }),
    );
    expect(() => loadSigningKeyFile(path.join(dir, 'none.key'))).toThrow(
      expect.objectContaining({ code: 'LEDGER_KEY_FILE_MISSING' }),
    );
  });
});
