import { createHmac } from 'node:crypto';
import { VigilError } from '../core/vigil-error.js';
import type { CanaryErrorCode } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A base32 seed (RFC 4648, as authenticator apps show it: any case, spaces and padding ignored). */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const i = ALPHABET.indexOf(c);
    if (i < 0)
      throw new VigilError<CanaryErrorCode>('CANARY_BAD_TOTP_SECRET', 'the TOTP secret is not base32', {
        category: 'input',
      });
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (out.length < 10)
    throw new VigilError<CanaryErrorCode>(
      'CANARY_BAD_TOTP_SECRET',
      'the TOTP secret is shorter than 80 bits (16 base32 characters)',
      { category: 'input' },
    );
  return Buffer.from(out);
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits: Google Authenticator's and Okta's `token:software:totp`). */
export function totp(secret: Buffer, timeMs: number, stepSeconds = 30, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 1000 / stepSeconds)));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return code.toString().padStart(digits, '0');
}
