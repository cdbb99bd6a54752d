import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { VigilError } from '../../core/vigil-error.js';
import type { ServerAuthErrorCode } from './errors.js';

/**
 * Seals the secrets the server must read back (TOTP shared secrets) with AES-256-GCM under a key
 * that lives in the key directory, not in the database: someone holding a copy of the store (a
 * backup, a stolen disk image of the data directory alone) cannot mint codes. The owner's id is
 * bound in as associated data, so a sealed secret moved to another account does not open.
 */
export class SecretBox {
  readonly #key: Buffer;

  /** `rootKey`: 32 secret bytes (the key directory's `pii-token.key`); a purpose-bound key is derived from it. */
  constructor(rootKey: Uint8Array) {
    if (rootKey.length < 32) throw new TypeError('a SecretBox key needs at least 32 bytes');
    this.#key = Buffer.from(
      hkdfSync('sha256', rootKey, Buffer.alloc(0), 'vigil console sealed secrets v1', 32),
    );
  }

  /** `v1.<iv>.<ciphertext>.<tag>`, base64url parts. */
  seal(plaintext: string, owner: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(owner, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, body, cipher.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string, owner: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || iv === undefined || body === undefined || tag === undefined)
      throw sealError('is not a sealed secret');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(owner, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch (cause) {
      throw sealError('does not open with this key directory’s key (was pii-token.key replaced?)', cause);
    }
  }
}

function sealError(why: string, cause?: unknown): VigilError<ServerAuthErrorCode> {
  return new VigilError<ServerAuthErrorCode>('CONSOLE_KEY_INVALID', `a stored console secret ${why}`, {
    category: 'internal',
    ...(cause === undefined ? {} : { cause }),
  });
}
