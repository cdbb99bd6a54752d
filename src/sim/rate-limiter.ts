/**
 * Okta's per-minute, per-endpoint bucket (okta-api.md §1.7): `X-Rate-Limit-Limit`, `-Remaining`, and
 * `-Reset` (UTC epoch seconds when the window ends) on every response. Once the bucket is empty —
 * spent by this client or drained by another integration on the same org — every request is refused
 * until the reset.
 */
export class MinuteRateLimiter {
  #window = -1;
  #used = 0;

  constructor(readonly limit: number) {}

  /** Takes one request from the bucket; returns the headers and whether it was allowed. */
  take(nowMs: number): { allowed: boolean; headers: Record<string, string> } {
    this.#roll(nowMs);
    const allowed = this.#used < this.limit;
    if (allowed) this.#used++;
    return { allowed, headers: this.headers() };
  }

  /** Another integration spends what is left of this window. */
  drain(nowMs: number): void {
    this.#roll(nowMs);
    this.#used = this.limit;
  }

  headers(): Record<string, string> {
    return {
      'x-rate-limit-limit': String(this.limit),
      'x-rate-limit-remaining': String(Math.max(0, this.limit - this.#used)),
      'x-rate-limit-reset': String((this.#window + 1) * 60),
    };
  }

  #roll(nowMs: number): void {
    const window = Math.floor(nowMs / 60_000);
    if (window !== this.#window) {
      this.#window = window;
      this.#used = 0;
    }
  }
}
