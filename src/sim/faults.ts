/**
 * Faults the simulator injects on request, for tests and drills. Each is a probability per request
 * (or per event for `lateRate`), drawn from the simulator's seeded generator, so a seed replays the
 * same storm. All off by default.
 */
export interface FaultOptions {
  /** Spurious 429 (E0000047) although the budget is not spent: another integration drained the bucket. */
  readonly rateLimitStormRate?: number;
  /** 500 E0000009 ("took too long") or 503. */
  readonly serverErrorRate?: number;
  /** Responses delayed by `slowMs` of real time (past a client's timeout if it is shorter). */
  readonly slowRate?: number;
  readonly slowMs?: number;
  /** A 200 whose body is cut off mid-way. */
  readonly truncateRate?: number;
  /** A 200 whose body is not JSON. */
  readonly malformedRate?: number;
  /** The previous page's last event repeated at the start of the next page. */
  readonly duplicateRate?: number;
  /** Share of events committed minutes after they were published. */
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
  rateLimitStormRate: 0.08,
  serverErrorRate: 0.08,
  slowRate: 0.03,
  slowMs: 400,
  truncateRate: 0.05,
  malformedRate: 0.05,
  duplicateRate: 0.2,
  lateRate: 0.02,
  lateMaxMs: 5 * 60_000,
};
