import { authenticator } from 'otplib';
import type { Random } from '../../core/seeded-random.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A TOTP shared secret (base32, 160 bits) drawn from the simulator's seeded randomness. */
export const totpSecret = (random: Random): string => random.chars(32, BASE32);

/**
 * Whether `passCode` is the RFC 6238 code (SHA-1, 6 digits, 30 s steps) of `secret` at `nowMs`, one
 * step of clock drift allowed either way (as authenticator apps and Okta allow).
 */
export function totpMatches(secret: string, passCode: string, nowMs: number): boolean {
  if (!/^\d{6}$/.test(passCode)) return false;
  return authenticator.clone({ epoch: nowMs, window: 1 }).check(passCode, secret);
}
