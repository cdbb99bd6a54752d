import type { Random } from '../../core/seeded-random.js';

/** How often and how patiently a sink retries a failed delivery. */
export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retry. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Wait before retry number `retry` (1-based): exponential backoff capped at `maxDelayMs`, with
 * "equal jitter" (half fixed, half random) so a fleet of senders does not retry in lock-step
 * after a receiver outage, yet every wait still grows. Jitter comes from the seeded generator.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: Random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const half = ceiling / 2;
  return Math.round(half + random.next() * half);
}
