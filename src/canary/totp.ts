import { VigilError } from '../core/vigil-error.js';
import type { CanaryErrorCode } from './errors.js';

/**
 * A canary's TOTP seed checked and normalised: base32 (RFC 4648, as authenticator apps show it: any
 * case, spaces and padding ignored) of at least 80 bits. Codes are made by sources/totp.ts.
 */
export function totpSecretOf(text: string): string {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  const bad = (why: string) =>
    new VigilError<CanaryErrorCode>('CANARY_BAD_TOTP_SECRET', `the TOTP secret ${why}`, {
      category: 'input',
    });
  if (!/^[A-Z2-7]*$/.test(clean)) throw bad('is not base32');
  // 16 base32 characters carry 80 bits, RFC 4226's minimum for a shared secret.
  if (clean.length < 16) throw bad('is shorter than 80 bits (16 base32 characters)');
  return clean;
}
