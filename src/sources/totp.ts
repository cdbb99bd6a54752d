import { authenticator } from 'otplib';

/**
 * RFC 6238 time-based one-time codes as identity providers' software tokens use them (Okta's
 * `token:software:totp`, Google Authenticator): HMAC-SHA1, 30-second steps, 6 digits, a base32 shared
 * secret. One implementation (otplib) for the canary that signs in and the simulator that checks.
 */
export function totpCode(secretBase32: string, timeMs: number, options: { digits?: number } = {}): string {
  return authenticator
    .clone({ epoch: timeMs, ...(options.digits ? { digits: options.digits } : {}) })
    .generate(secretBase32);
}

/** Whether `passCode` is the code of `secretBase32` at `timeMs`, one step of clock drift allowed either way. */
export function totpMatches(secretBase32: string, passCode: string, timeMs: number): boolean {
  if (!/^\d{6}$/.test(passCode)) return false;
  return authenticator.clone({ epoch: timeMs, window: 1 }).check(passCode, secretBase32);
}
