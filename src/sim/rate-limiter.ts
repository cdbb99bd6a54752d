/**
 * Okta's per-minute, per-endpoint bucket (okta-api.md §1.7): `X-Rate-Limit-Limit`, `-Remaining`, and
 * `-Reset` (UTC epoch seconds when the window ends) on every response.
 */
export class MinuteRateLimiter {
  #window = -1;
  #used = 0;

  constructor(readonly limit: number) {}

  /** Takes one request from the bucket; returns the headers and whether it was allowed. */
  take(nowMs: number): { allowed: boolean; headers: Record<string, string> } {
    const window = Math.floor(nowMs / 60_000);
    if (window !== this.#window) {
      this.#window = window;
      this.#used = 0;
    }
    const allowed = this.#used < this.limit;
    if (allowed) this.#used++;
    return { allowed, headers: this.headers() };
  }

  headers(remainingOverride?: number): Record<string, string> {
    return {
      'x-rate-limit-limit': String(this.limit),
      'x-rate-limit-remaining': String(remainingOverride ?? Math.max(0, this.limit - this.#used)),
      'x-rate-limit-reset': String((this.#window + 1) * 60),
    };
  }
}
