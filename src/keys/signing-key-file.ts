import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { privateFileProblem } from '../core/private-file.js';
import { VigilError } from '../core/vigil-error.js';
import {
  formatSignerKey,
  formatVerifierKey,
  generateSigner,
  parseSignerKey,
  parseVerifierKey,
} from '../ledger/note-key.js';
import type { Ed25519NoteSigner, NoteVerifier } from '../ledger/note-key.js';
import type { KeyErrorCode } from './errors.js';
import { checkKeyDirectory, keyDirectoryOf, type KeyPlace } from './key-directory.js';

/**
 * A ledger's keys in its key directory (key-directory.ts; by default `keys/` in the data
 * directory): `<origin with "/" as "_">.key` holds Go's
 * `PRIVATE+KEY+…` signer string (0600, only writers read it) and `.vkey` beside it the verifier key
 * (`name+id+key`), which is all a verifier needs.
 */
export function signingKeyPath(keys: KeyPlace, origin: string): string {
  return path.join(keyDirectoryOf(keys).dir, `${origin.replaceAll('/', '_')}.key`);
}

export function verifierKeyPath(keys: KeyPlace, origin: string): string {
  return signingKeyPath(keys, origin).replace(/\.key$/, '.vkey');
}

export function keyFileError(code: KeyErrorCode, message: string, file: string): VigilError<KeyErrorCode> {
  return new VigilError(code, `${file}: ${message}`, { category: 'input', details: { file } });
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
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw keyFileError('KEY_FILE_EXISTS', 'signing key file already exists', file);
    throw error;
  }
  return signer;
}

/**
 * Reads a key file, refusing a missing one and, for a secret (the signing key), one that group or
 * others may read or write.
 */
export function readKeyFile(file: string, what: string, secret: boolean): string {
  try {
    statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw keyFileError('KEY_FILE_MISSING', `${what} not found`, file);
    throw error;
  }
  const problem = secret ? privateFileProblem(file) : undefined;
  if (problem !== undefined) throw keyFileError('KEY_FILE_INSECURE', `${what} ${problem}`, file);
  return readFileSync(file, 'utf8').trim();
}

export function loadSigningKeyFile(file: string): Ed25519NoteSigner {
  return parseSignerKey(readKeyFile(file, 'signing key file', true));
}

/** Writers only: the ledger's signing key, created on first use, with its verifier key beside it. */
export function loadOrCreateSigningKey(keys: KeyPlace, origin: string): Ed25519NoteSigner {
  const where = keyDirectoryOf(keys);
  checkKeyDirectory(where);
  const file = signingKeyPath(where, origin);
  if (!existsSync(file) && !where.create)
    throw keyFileError(
      'KEY_FILE_MISSING',
      `signing key not found in ${where.from}; it is never created there`,
      file,
    );
  const signer = existsSync(file) ? loadSigningKeyFile(file) : createSigningKeyFile(file, origin);
  if (signer.name !== origin)
    throw keyFileError('KEY_FILE_INVALID', `holds a key named ${signer.name}, not ${origin}`, file);
  const vkey = verifierKeyPath(where, origin);
  if (where.create && !existsSync(vkey))
    writeFileSync(vkey, `${formatVerifierKey(signer)}\n`, { mode: 0o644, flag: 'wx' });
  return signer;
}

/**
 * Verifiers only: the ledger's verifier key from the data directory, never creating or changing
 * anything. A data directory written before `.vkey` files existed has only the signing key: the
 * verifier key is then derived from it. Neither present is an error naming both files.
 */
export function loadVerifierKey(keys: KeyPlace, origin: string): NoteVerifier {
  const vkey = verifierKeyPath(keys, origin);
  const key = signingKeyPath(keys, origin);
  let verifier: NoteVerifier;
  if (existsSync(vkey)) verifier = parseVerifierKey(readKeyFile(vkey, 'verifier key file', false));
  else if (existsSync(key)) verifier = parseVerifierKey(formatVerifierKey(loadSigningKeyFile(key)));
  else
    throw keyFileError(
      'KEY_FILE_MISSING',
      `no key for ledger ${origin}: neither this verifier key nor ${key} exists (a verifier never creates one; give --vkey, or check --data and --source)`,
      vkey,
    );
  if (verifier.name !== origin)
    throw keyFileError('KEY_FILE_INVALID', `holds a key named ${verifier.name}, not ${origin}`, vkey);
  return verifier;
}
