/**
 * Faults the simulator injects on request, for tests and drills. Each is a probability per request
 * (or per event for `lateRate`), drawn from the simulator's seeded generator, so a seed replays the
 * same storm. All off by default.
 */
export interface FaultOptions {
  /**
   * Another integration drains the org's per-minute bucket (okta-api.md §1.7): from that request on,
   * every request is refused with 429 until the bucket's reset, and `X-Rate-Limit-Remaining` says 0.
   */
  readonly rateLimitStormRate?: number;
  /**
   * A concurrent-request 429: `X-Rate-Limit-Limit` and `-Remaining` both 0 ("always 0 for concurrent
   * rate limit errors"), the reset an estimate a second away; the bucket itself is untouched.
   */
  readonly concurrencyLimitRate?: number;
  /** 500 E0000009 ("took too long") or 503. */
  readonly serverErrorRate?: number;
  /** Responses delayed by `slowMs` of real time (past a client's timeout if it is shorter). */
  readonly slowRate?: number;
  readonly slowMs?: number;
  /**
   * A transfer cut off at the HTTP layer: a `200` whose `content-length` promises the whole page,
   * half of it sent, then the connection closed or reset. A client sees a failed read, not a page.
   */
  readonly truncateRate?: number;
  /** A complete `200` whose body is not JSON, as a misbehaving proxy might send. */
  readonly malformedRate?: number;
  /**
   * The previous page's last event repeated at the start of the next page, as Okta's at-least-once
   * delivery and overlapping reads produce them.
   */
  readonly duplicateRate?: number;
  /** A page that repeats its own first event (a duplicate inside one response). */
  readonly duplicateInPageRate?: number;
  /**
   * Share of events, anywhere in the history, committed to the log up to `lateMaxMs` after the
   * simulator first holds them (for live traffic: after they were published), so their neighbours by
   * published time are visible well before them and a backfill that pages fast passes their place.
   */
  readonly lateRate?: number;
  readonly lateMaxMs?: number;
  /**
   * Polling pages silently leave out events published within `pollingSkipWindowMs` of now (an index
   * not yet consistent at its head), while bounded queries return them, and the cursor moves past
   * them. Nothing in Okta's documentation promises this cannot happen; it is what the collector's
   * overlap re-read exists for.
   */
  readonly pollingSkipRate?: number;
  readonly pollingSkipWindowMs?: number;
}

export const NO_FAULTS: FaultOptions = {};

/** Every fault on at once, at rates a collector must survive: the completeness tests use this. */
export const ALL_FAULTS: FaultOptions = {
  rateLimitStormRate: 0.03,
  concurrencyLimitRate: 0.05,
  serverErrorRate: 0.08,
  slowRate: 0.03,
  slowMs: 400,
  truncateRate: 0.05,
  malformedRate: 0.05,
  duplicateRate: 0.2,
  duplicateInPageRate: 0.05,
  lateRate: 0.02,
  lateMaxMs: 5 * 60_000,
};
