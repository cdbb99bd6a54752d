import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from '../ledger/errors.js';
import { formatSignerKey, generateSigner, parseSignerKey } from '../ledger/note-key.js';
import type { Ed25519NoteSigner } from '../ledger/note-key.js';

/**
 * The ledger's origin, which is also its signing key's name (c2sp.org/tlog-checkpoint: the key name
 * SHOULD equal the origin). One ledger per source: `<instance>/<source>`, where `instance` names this
 * Vigil installation (default "vigil.local"; set a real host name so origins are globally unique).
 */
export function ledgerOrigin(source: string, instance = 'vigil.local'): string {
  return `${instance}/${source}`;
}

/** `<dataDir>/keys/<origin with "/" as "_">.key`, holding Go's `PRIVATE+KEY+…` signer string. */
export function signingKeyPath(dataDir: string, origin: string): string {
  return path.join(dataDir, 'keys', `${origin.replaceAll('/', '_')}.key`);
}

function keyFileError(code: LedgerErrorCode, message: string, file: string): VigilError<LedgerErrorCode> {
  return new VigilError(code, message, { category: 'input', details: { file } });
}

/** Creates a new key file (mode 0600, directory 0700); refuses to overwrite an existing key. */
export function createSigningKeyFile(
  file: string,
  origin: string,
  signer: Ed25519NoteSigner = generateSigner(origin),
): Ed25519NoteSigner {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${formatSignerKey(signer)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw keyFileError('LEDGER_KEY_FILE_EXISTS', 'signing key file already exists', file);
    }
    throw error;
  }
  return signer;
}

/** Loads a key file, refusing one that group or others may read or write. */
export function loadSigningKeyFile(file: string): Ed25519NoteSigner {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw keyFileError('LEDGER_KEY_FILE_MISSING', 'signing key file not found', file);
    }
    throw error;
  }
  if ((mode & 0o077) !== 0) {
    throw keyFileError(
      'LEDGER_KEY_FILE_INSECURE',
      `signing key file mode ${(mode & 0o777).toString(8)} must be 600`,
      file,
    );
  }
  return parseSignerKey(readFileSync(file, 'utf8').trim());
}

/** First use: load the ledger's key, creating it when absent. */
export function loadOrCreateSigningKey(dataDir: string, origin: string): Ed25519NoteSigner {
  const file = signingKeyPath(dataDir, origin);
  try {
    return loadSigningKeyFile(file);
  } catch (error) {
    if (error instanceof VigilError && error.code === 'LEDGER_KEY_FILE_MISSING')
      return createSigningKeyFile(file, origin);
    throw error;
  }
}
