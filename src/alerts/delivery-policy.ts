/**
 * How the outbox retries and when it gives up, and which alerts it holds back (issue 14): from the
 * `alerts.delivery` section of vigil.yaml.
 */
export interface DeliveryPolicy {
  /** A delivery not done this long after the alert was raised expires (default 24 h). */
  readonly expireAfterMs: number;
  /** Wait after the first failed attempt; doubles with each further failure. */
  readonly retryBaseMs: number;
  /** The longest wait between attempts. */
  readonly retryMaxMs: number;
  /**
   * Alerts about events older than this when raised (a first backfill of 90 days) are stored and
   * listed but not pushed; 0 pushes every alert.
   */
  readonly holdOlderThanMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  expireAfterMs: 24 * 3_600_000,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  holdOlderThanMs: 24 * 3_600_000,
};

/**
 * Wait after failed attempt number `attempts` (1-based): exponential, capped. No jitter: each Vigil
 * retries its own few sinks, not a fleet against one receiver, and a fixed schedule is what
 * `vigil alerts deliveries` can show.
 */
export const retryDelayMs = (policy: DeliveryPolicy, attempts: number): number =>
  Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempts - 1));

/** Whether an alert about an event at `eventMs` is too old to push at `nowMs`. */
export const isHeldBack = (policy: DeliveryPolicy, eventMs: number, nowMs: number): boolean =>
  policy.holdOlderThanMs > 0 && nowMs - eventMs > policy.holdOlderThanMs;
