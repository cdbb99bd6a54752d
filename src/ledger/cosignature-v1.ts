import { ed25519Verifier, splitKeyString } from './note-key.js';
import type { NoteVerifier } from './note-key.js';
import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';

/** c2sp.org/tlog-cosignature: signature type 0x04, timestamped Ed25519 over "cosignature/v1\ntime <t>\n" || note text. */
export const COSIGNATURE_V1_TYPE = 0x04;

/** A witness's cosignature verifier from its `<name>+<hex8>+base64(0x04 || key)` vkey. */
export function parseCosignatureVerifierKey(
  vkey: string,
): NoteVerifier & { timestampOf(signature: Buffer): bigint } {
  const { name, keyId, type, key } = splitKeyString(vkey);
  if (type !== COSIGNATURE_V1_TYPE || key.length !== 32) {
    throw new VigilError<LedgerErrorCode>('LEDGER_KEY_INVALID', 'not a cosignature/v1 Ed25519 key', {
      category: 'input',
    });
  }
  const check = ed25519Verifier(key);
  return {
    name,
    keyId,
    publicKey: key,
    // tlog-cosignature: timestamped_signature = u64 big-endian POSIX seconds || 64-byte Ed25519 signature.
    verify(message, signature) {
      if (signature.length !== 72) return false;
      const time = signature.readBigUInt64BE(0);
      if (time >= 2n ** 63n) return false;
      const signed = Buffer.concat([Buffer.from(`cosignature/v1\ntime ${time}\n`, 'utf8'), message]);
      return check(signed, signature.subarray(8));
    },
    timestampOf: (signature) => signature.readBigUInt64BE(0),
  };
}
