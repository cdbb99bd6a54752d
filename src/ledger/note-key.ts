import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { LONE_SURROGATE } from './jcs.js';

/** C2SP signed-note signature type byte for plain Ed25519. */
export const ED25519_TYPE = 0x01;

export interface NoteVerifier {
  readonly name: string;
  /** C2SP signed-note key ID, big-endian uint32. */
  readonly keyId: number;
  /** The 32-byte Ed25519 public key, so the verifier key can be printed again (formatVerifierKey). */
  readonly publicKey: Buffer;
  verify(message: Buffer, signature: Buffer): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
  sign(message: Buffer): Buffer;
}

/** A signer whose private key we hold (needed to write the key file). */
export interface Ed25519NoteSigner extends NoteSigner {
  /** The 32-byte RFC 8032 private key (seed). Secret: only the key file may hold it. */
  readonly privateKey: Buffer;
}

// RFC 8410 DER prefixes: an Ed25519 PKCS#8 private key and SPKI public key around the raw 32 bytes.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function keyError(reason: string): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_KEY_INVALID', `note key invalid: ${reason}`, {
    category: 'input',
    details: { reason },
  });
}

/** C2SP signed-note: name non-empty, valid UTF-8, no Unicode spaces, no "+" (Go note.isValidName). */
export function isValidKeyName(name: string): boolean {
  return name !== '' && !LONE_SURROGATE.test(name) && !/[\s\u0085\u00a0]/u.test(name) && !name.includes('+');
}

/** C2SP signed-note: key ID = SHA-256(name || 0x0A || type || public key)[:4] as big-endian uint32. */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

export const hex8 = (keyId: number): string => keyId.toString(16).padStart(8, '0');

export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

export function ed25519Verifier(publicKey: Uint8Array): NoteVerifier['verify'] {
  const key = ed25519PublicKeyObject(publicKey);
  return (message, signature) => signature.length === 64 && verify(null, message, key, signature);
}

/** An Ed25519 note signer from the 32-byte RFC 8032 private key (seed). */
export function createSigner(name: string, privateKey: Uint8Array): Ed25519NoteSigner {
  if (!isValidKeyName(name)) throw keyError('bad key name');
  if (privateKey.length !== 32) throw keyError('Ed25519 private key must be 32 bytes');
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, privateKey]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = Buffer.from(spki.subarray(SPKI_PREFIX.length));
  return {
    name,
    keyId: noteKeyId(name, ED25519_TYPE, publicKey),
    publicKey,
    privateKey: Buffer.from(privateKey),
    sign: (message) => sign(null, message, key),
  };
}

/** A new signer with a fresh random key (node:crypto CSPRNG: keys are secrets, not simulation). */
export function generateSigner(name: string): Ed25519NoteSigner {
  return createSigner(name, randomBytes(32));
}

/** C2SP vkey `<name>+<hex8 key ID>+<base64(0x01 || public key)>`. */
export function formatVerifierKey(signer: Pick<NoteSigner, 'name' | 'publicKey'>): string {
  const keyId = noteKeyId(signer.name, ED25519_TYPE, signer.publicKey);
  const encoded = Buffer.concat([Buffer.from([ED25519_TYPE]), signer.publicKey]).toString('base64');
  return `${signer.name}+${hex8(keyId)}+${encoded}`;
}

/** Go's chop: name and key ID end at the first two "+"; the base64 key may itself contain "+". */
function chopKey(text: string): [string, string, string] {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw keyError('want <name>+<hex key id>+<base64 key>');
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

/** Splits `<name>+<hex8>+<base64(type || key)>` and checks the key ID (Go note.NewVerifier). */
export function splitKeyString(text: string): { name: string; keyId: number; type: number; key: Buffer } {
  const [name, id, b64] = chopKey(text);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/i.test(id) || !isCanonicalBase64(b64))
    throw keyError('malformed key string');
  const raw = Buffer.from(b64, 'base64');
  if (raw.length < 2) throw keyError('empty key');
  const keyId = Number.parseInt(id, 16);
  const type = raw[0] as number;
  if (noteKeyId(name, type, raw.subarray(1)) !== keyId) throw keyError('key ID does not match the key');
  return { name, keyId, type, key: raw.subarray(1) };
}

/** Parses an Ed25519 verifier key (type 0x01 only, as Go's note.NewVerifier). */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const { name, keyId, type, key } = splitKeyString(vkey);
  if (type !== ED25519_TYPE) throw keyError(`unsupported signature type 0x${type.toString(16)}`);
  if (key.length !== 32) throw keyError('Ed25519 public key must be 32 bytes');
  return { name, keyId, publicKey: key, verify: ed25519Verifier(key) };
}

/** Go's signer key string `PRIVATE+KEY+<name>+<hex8>+<base64(0x01 || seed)>` (note.NewSigner). */
export function formatSignerKey(signer: Ed25519NoteSigner): string {
  const encoded = Buffer.concat([Buffer.from([ED25519_TYPE]), signer.privateKey]).toString('base64');
  return `PRIVATE+KEY+${signer.name}+${hex8(signer.keyId)}+${encoded}`;
}

export function parseSignerKey(skey: string): Ed25519NoteSigner {
  const prefix = 'PRIVATE+KEY+';
  if (!skey.startsWith(prefix)) throw keyError('signer key must start with PRIVATE+KEY+');
  const [name, id, b64] = chopKey(skey.slice(prefix.length));
  if (!isCanonicalBase64(b64)) throw keyError('malformed signer key');
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519_TYPE) throw keyError('not an Ed25519 signer key');
  const signer = createSigner(name, raw.subarray(1));
  if (hex8(signer.keyId) !== id.toLowerCase()) throw keyError('key ID does not match the key');
  return signer;
}

/** Standard base64 (RFC 4648 §4) with padding, as Go's base64.StdEncoding requires. */
export function isCanonicalBase64(text: string): boolean {
  return (
    text.length % 4 === 0 &&
    /^[A-Za-z0-9+/]*={0,2}$/.test(text) &&
    Buffer.from(text, 'base64').toString('base64') === text
  );
}
