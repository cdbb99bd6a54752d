import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-vigil-signature';
export const TIMESTAMP_HEADER = 'x-vigil-timestamp';

/**
 * The signed material is `<timestamp>.<body>` (the scheme Stripe and Slack use): a receiver that
 * rejects stale timestamps cannot be fed a captured request again later.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const hex = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `sha256=${hex}`;
}

export interface WebhookVerification {
  readonly secret: string;
  readonly body: string;
  readonly signatureHeader: string | undefined;
  readonly timestampHeader: string | undefined;
  /** Receiver's current time in ms. */
  readonly nowMs: number;
  /** Accepted clock difference; five minutes unless told. */
  readonly toleranceSeconds?: number;
}

/** Receiver-side check, for users writing their own endpoint (and for our tests' real server). */
export function verifyWebhook(v: WebhookVerification): boolean {
  if (!v.signatureHeader || !v.timestampHeader || !/^\d+$/.test(v.timestampHeader)) return false;
  const timestamp = Number(v.timestampHeader);
  if (Math.abs(v.nowMs / 1000 - timestamp) > (v.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(v.secret, timestamp, v.body));
  const given = Buffer.from(v.signatureHeader);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
