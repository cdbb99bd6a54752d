import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The console's bearer secrets (session cookies, enrolment links, API tokens): 32 random bytes,
 * base64url, with a prefix that says what the secret is (so a leaked one is recognisable in a
 * paste or a secret scanner). Only their SHA-256 is stored: with 256 bits of entropy a plain hash
 * cannot be reversed, and a copy of the database lets nobody in.
 */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Lower-case hex SHA-256 of a secret's UTF-8 bytes: the only form a secret is stored in. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two secrets in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
