import type { Severity } from './severity.js';

/**
 * One finding of the detection pack: which rule, how bad, about whom, what a responder should do,
 * and the provider event ids that triggered it. Alerting stores and routes it as is.
 */
export interface Detection {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly entity: { readonly type: string; readonly id: string; readonly display?: string };
  readonly description: string;
  readonly eventIds: readonly string[];
  /** Detection time (the triggering event's time), epoch ms. */
  readonly timeMs: number;
  readonly dedupKey: string;
  readonly source?: string;
}
