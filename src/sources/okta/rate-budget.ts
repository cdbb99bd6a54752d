/**
 * Keeps Vigil inside its share of the provider's per-minute bucket. Okta's bucket is shared by every
 * integration of the org (okta-api.md §1.7), so Vigil waits for the reset once the bucket's remaining
 * requests fall to the part it must leave to others: `remaining <= limit × (1 − share)`.
 */
export class RateBudget {
  #limit = 0;
  #remaining = Number.POSITIVE_INFINITY;
  #resetMs = 0;

  constructor(readonly share: number) {}

  observe(headers: Headers): void {
    const limit = Number(headers.get('x-rate-limit-limit'));
    const remaining = Number(headers.get('x-rate-limit-remaining'));
    const reset = Number(headers.get('x-rate-limit-reset'));
    if (Number.isFinite(limit) && limit > 0) this.#limit = limit;
    if (headers.has('x-rate-limit-remaining') && Number.isFinite(remaining)) this.#remaining = remaining;
    if (Number.isFinite(reset) && reset > 0) this.#resetMs = reset * 1000;
  }

  /** Milliseconds to wait before the next request (0 = go). */
  waitMs(nowMs: number): number {
    if (this.#limit === 0 || nowMs >= this.#resetMs) return 0;
    return this.#remaining <= this.#limit * (1 - this.share) ? this.#resetMs - nowMs + 1 : 0;
  }

  /** After a 429: the wait until the announced reset, or undefined when none was sent. */
  waitAfter429(nowMs: number): number | undefined {
    return this.#resetMs > nowMs ? this.#resetMs - nowMs + 1 : undefined;
  }
}

/** One `RateBudget` per rate-limit bucket: Okta counts each API family on its own. */
export class BucketBudgets {
  readonly #budgets = new Map<string, RateBudget>();

  constructor(
    private readonly share: number,
    /** The bucket a request path counts against. */
    private readonly bucketOf: (path: string) => string,
  ) {}

  for(path: string): RateBudget {
    const bucket = this.bucketOf(path);
    let budget = this.#budgets.get(bucket);
    if (!budget) {
      budget = new RateBudget(this.share);
      this.#budgets.set(bucket, budget);
    }
    return budget;
  }
}
