import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkKeyDirectory, keyDirectoryOf, type KeyPlace } from './key-directory.js';
import { keyFileError, readKeyFile } from './signing-key-file.js';

/**
 * The key behind personal-data tokens (`privacy/pii-tokenizer.ts`): 32 random bytes, hex, in
 * `pii-token.key` beside the ledger's signing keys (0600). Whoever holds it can confirm a guess
 * ("is user:7f3a… alice@example.com?"), so it is a secret like a signing key; losing it changes every
 * token, which breaks nothing stored (tokens are a view) but breaks shared exports' continuity.
 */
export const PII_KEY_FILE = 'pii-token.key';

export function piiKeyPath(keys: KeyPlace): string {
  return path.join(keyDirectoryOf(keys).dir, PII_KEY_FILE);
}

/**
 * The token key: read when it exists; created when `create` (a writer: collect, serve, demo, a
 * report) and the key directory allows it; otherwise a coded error naming the file (a reader never
 * creates one).
 */
export function loadPiiKey(keys: KeyPlace, options: { create: boolean }): Buffer {
  const where = keyDirectoryOf(keys);
  checkKeyDirectory(where);
  const file = piiKeyPath(where);
  if (!existsSync(file)) {
    if (!options.create || !where.create)
      throw keyFileError(
        'KEY_FILE_MISSING',
        `personal-data token key not found in ${where.from} (a command that only reads never creates it; run vigil collect or vigil serve once)`,
        file,
      );
    mkdirSync(where.dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process won the race
    }
  }
  const text = readKeyFile(file, 'personal-data token key file', true);
  if (!/^[0-9a-f]{64}$/.test(text))
    throw keyFileError('KEY_FILE_INVALID', 'is not 32 bytes of lower-case hex', file);
  return Buffer.from(text, 'hex');
}
