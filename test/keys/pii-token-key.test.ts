import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirKeys } from '../../src/keys/key-directory.js';
import { loadPiiKey, piiKeyPath } from '../../src/keys/pii-token-key.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';

describe('the personal-data token key', () => {
  it('is created 0600 by a writer, then read back the same', () => {
    const dir = tempDir('pii-key');
    const key = loadPiiKey(dir, { create: true });
    expect(key).toHaveLength(32);
    expect(statSync(piiKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(loadPiiKey(dir, { create: false }).equals(key)).toBe(true);
  });

  it('is never created by a reader, nor in a directory it may not create in', () => {
    const dir = tempDir('pii-key');
    expectCode(() => loadPiiKey(dir, { create: false }), 'KEY_FILE_MISSING');
    expectCode(
      () => loadPiiKey({ ...dataDirKeys(dir), create: false }, { create: true }),
      'KEY_FILE_MISSING',
    );
    expect(existsSync(path.join(dir, 'keys'))).toBe(false);
  });

  it('refuses a key others can read, or one that is not 32 bytes of hex', () => {
    const dir = tempDir('pii-key');
    loadPiiKey(dir, { create: true });
    chmodSync(piiKeyPath(dir), 0o644);
    expectCode(() => loadPiiKey(dir, { create: false }), 'KEY_FILE_INSECURE');
    writeFileSync(piiKeyPath(dir), 'short\n', { mode: 0o600 });
    chmodSync(piiKeyPath(dir), 0o600);
    expectCode(() => loadPiiKey(dir, { create: false }), 'KEY_FILE_INVALID');
  });
});
