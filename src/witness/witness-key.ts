import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/vigil-error.js';
import { createSigningKeyFile, loadSigningKeyFile } from '../keys/signing-key-file.js';
import { createCosigner, formatCosignatureVerifierKey } from '../ledger/cosignature-v1.js';
import {
  generateSigner,
  isValidKeyName,
  type Ed25519NoteSigner,
  type NoteSigner,
} from '../ledger/note-key.js';
import type { WitnessErrorCode } from './errors.js';

/** The witness's key in its data directory: Go's `PRIVATE+KEY+…` string, 0600, like a ledger key. */
/** A witness started without --name on a new data directory is called this. */
export const DEFAULT_WITNESS_NAME = 'vigil-witness';

export const witnessKeyPath = (dataDir: string): string => path.join(dataDir, 'keys', 'witness.key');

export interface WitnessKey {
  readonly cosigner: NoteSigner;
  /** `<name>+<hex8>+base64(0x04 || key)`: what logs configure (`vigil ledger witness add URL VKEY`). */
  readonly vkey: string;
}

/**
 * Loads the witness key, or creates it named `name` on first use. The Ed25519 cosignature format does
 * not commit to the witness's name (c2sp.org/tlog-cosignature), so each witness needs its own key.
 */
export function loadOrCreateWitnessKey(dataDir: string, clock: Clock, name?: string): WitnessKey {
  const file = witnessKeyPath(dataDir);
  if (name !== undefined && !isValidKeyName(name))
    throw new VigilError<WitnessErrorCode>(
      'WITNESS_CONFIG_INVALID',
      `--name ${JSON.stringify(name)}: a witness name has no spaces and no "+"`,
      { category: 'input' },
    );
  const exists = existsSync(file);
  const chosen = name ?? DEFAULT_WITNESS_NAME;
  const key = exists ? loadSigningKeyFile(file) : createSigningKeyFile(file, chosen, generateSigner(chosen));
  if (exists && name !== undefined && key.name !== name)
    throw new VigilError<WitnessErrorCode>(
      'WITNESS_CONFIG_INVALID',
      `${file} holds the witness key named ${key.name}, not ${name}`,
      { category: 'input', details: { file } },
    );
  return witnessKey(key, clock);
}

/** Reads the witness key without creating anything (`vigil witness key`). */
export function readWitnessKey(dataDir: string, clock: Clock): WitnessKey {
  return witnessKey(loadSigningKeyFile(witnessKeyPath(dataDir)), clock);
}

function witnessKey(key: Ed25519NoteSigner, clock: Clock): WitnessKey {
  // tlog-cosignature: POSIX seconds, read from the injected clock.
  const cosigner = createCosigner(key.name, key.privateKey, () => BigInt(Math.floor(clock.now() / 1000)));
  return { cosigner, vkey: formatCosignatureVerifierKey(cosigner) };
}
