import { createSigner, ed25519Verifier, hex8, noteKeyId, splitKeyString } from './note-key.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';

/** c2sp.org/tlog-cosignature: signature type 0x04, timestamped Ed25519 over "cosignature/v1\ntime <t>\n" || note text. */
export const COSIGNATURE_V1_TYPE = 0x04;

/** tlog-cosignature: the timestamp is a u64 of POSIX seconds at most 2^63 - 1. */
const MAX_TIMESTAMP = 2n ** 63n;

/** The bytes a cosignature/v1 Ed25519 signature covers: the label, the time line, the whole note text. */
export function cosignedMessage(time: bigint, text: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`cosignature/v1\ntime ${time}\n`, 'utf8'), text]);
}

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
      if (time >= MAX_TIMESTAMP) return false;
      return check(cosignedMessage(time, message), signature.subarray(8));
    },
    timestampOf: (signature) => signature.readBigUInt64BE(0),
  };
}

/**
 * A cosignature/v1 signer (a witness's key): `sign` returns the 72-byte timestamped signature for
 * the time `nowSeconds` reads, so `signNote(text, cosigner)` writes a cosignature line.
 */
export function createCosigner(name: string, privateKey: Uint8Array, nowSeconds: () => bigint): NoteSigner {
  const ed25519 = createSigner(name, privateKey);
  return {
    name,
    keyId: noteKeyId(name, COSIGNATURE_V1_TYPE, ed25519.publicKey),
    publicKey: ed25519.publicKey,
    sign(message) {
      const time = nowSeconds();
      if (time < 0n || time >= MAX_TIMESTAMP) throw new TypeError(`cosignature time ${time} out of range`);
      const stamp = Buffer.alloc(8);
      stamp.writeBigUInt64BE(time);
      return Buffer.concat([stamp, ed25519.sign(cosignedMessage(time, message))]);
    },
  };
}

/** A witness's vkey `<name>+<hex8 key ID>+base64(0x04 || public key)` (tlog-cosignature). */
export function formatCosignatureVerifierKey(cosigner: Pick<NoteSigner, 'name' | 'publicKey'>): string {
  const keyId = noteKeyId(cosigner.name, COSIGNATURE_V1_TYPE, cosigner.publicKey);
  const encoded = Buffer.concat([Buffer.from([COSIGNATURE_V1_TYPE]), cosigner.publicKey]).toString('base64');
  return `${cosigner.name}+${hex8(keyId)}+${encoded}`;
}
