import type { NoteSigner, NoteVerifier } from '../ledger/note-key.js';
import { ledgerOrigin } from '../ledger/ledger-log.js';
import type { KeyPlace } from './key-directory.js';
import { loadOrCreateSigningKey, loadVerifierKey } from './signing-key-file.js';

/** Signs a log's checkpoints. Only writers (collect, demo) are given one. */
export type SignerProvider = (log: string) => NoteSigner;

/** The key a log's checkpoints are verified with; undefined when none is trusted for that log. */
export type VerifierKeyProvider = (log: string) => NoteVerifier | undefined;

/** Signers from the key directory's files (key-directory.ts), created on first use (0600), one per log. */
export function fileSignerProvider(keys: KeyPlace, instance?: string): SignerProvider {
  const signers = new Map<string, NoteSigner>();
  return (log) => {
    let signer = signers.get(log);
    if (!signer) {
      signer = loadOrCreateSigningKey(keys, ledgerOrigin(log, instance));
      signers.set(log, signer);
    }
    return signer;
  };
}

/**
 * Verifier keys for `verify`, `ledger key`, `export` and friends: the keys given on the command
 * line when there are any (trust from outside the data directory), else the data directory's key
 * files, read only; a missing key file is an error naming it, never a new key.
 */
export function readOnlyVerifierKeys(
  keys: KeyPlace,
  given: readonly NoteVerifier[] = [],
  instance?: string,
): VerifierKeyProvider {
  const loaded = new Map<string, NoteVerifier>();
  return (log: string): NoteVerifier | undefined => {
    const origin = ledgerOrigin(log, instance);
    if (given.length > 0) return given.find((v) => v.name === origin);
    let verifier = loaded.get(log);
    if (!verifier) {
      verifier = loadVerifierKey(keys, origin);
      loaded.set(log, verifier);
    }
    return verifier;
  };
}
