import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../core/vigil-error.js';
import type { KeyErrorCode } from './errors.js';

/**
 * Where a ledger's key files live. By default `keys/` in the data directory; but a key beside the
 * data lets anyone who can write the data re-sign a rewritten history, and every local check then
 * passes (docs/threat-model.md). So the key may live elsewhere, readable only by the collector's
 * user, and the data directory's writers never see it:
 *
 * 1. `$VIGIL_KEY_DIR`;
 * 2. `keys.dir` in vigil.yaml (relative to the data directory);
 * 3. `$CREDENTIALS_DIRECTORY` when it holds a `.key` file: systemd's `LoadCredential=` hands the
 *    service a private, read-only copy of the key there; nothing is ever created in it;
 * 4. `<data directory>/keys`.
 */
export interface KeyDirectory {
  readonly dir: string;
  /** Whether a missing signing key is created here (not in systemd's read-only credentials). */
  readonly create: boolean;
  /** Where the choice came from, for messages. */
  readonly from: string;
}

export function dataDirKeys(dataDir: string): KeyDirectory {
  return { dir: path.join(dataDir, 'keys'), create: true, from: 'the data directory' };
}

/** A key directory, or a data directory whose `keys/` is meant. */
export type KeyPlace = KeyDirectory | string;

export const keyDirectoryOf = (place: KeyPlace): KeyDirectory =>
  typeof place === 'string' ? dataDirKeys(place) : place;

export function resolveKeyDirectory(options: {
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** `keys.dir` from vigil.yaml. */
  readonly configured?: string | undefined;
}): KeyDirectory {
  const { env, dataDir, configured } = options;
  const fromEnv = env['VIGIL_KEY_DIR'];
  if (fromEnv) return { dir: path.resolve(fromEnv), create: true, from: '$VIGIL_KEY_DIR' };
  if (configured)
    return { dir: path.resolve(dataDir, configured), create: true, from: 'keys.dir in vigil.yaml' };
  const credentials = env['CREDENTIALS_DIRECTORY'];
  if (credentials && holdsKeys(credentials))
    return { dir: credentials, create: false, from: '$CREDENTIALS_DIRECTORY (systemd LoadCredential=)' };
  return dataDirKeys(dataDir);
}

function holdsKeys(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => name.endsWith('.key'));
  } catch {
    return false;
  }
}

/**
 * A key directory others may write is refused: whoever can write it can put their own key in place
 * of the ledger's (or remove it and have a new one created).
 */
export function checkKeyDirectory(keys: KeyDirectory): void {
  let mode: number;
  try {
    mode = statSync(keys.dir).mode & 0o777;
  } catch {
    return; // created 0700 when the first key is
  }
  if ((mode & 0o022) !== 0)
    throw new VigilError<KeyErrorCode>(
      'KEY_DIR_INSECURE',
      `key directory ${keys.dir} (${keys.from}) is mode ${mode.toString(8)}: group or others may write it (chmod 700 it)`,
      { category: 'input', details: { dir: keys.dir } },
    );
}
