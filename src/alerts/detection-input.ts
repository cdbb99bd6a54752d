/**
 * What alerting needs from a detection. It mirrors `Detection` / `Severity` of the detection pack
 * (src/detect/detection.ts) structurally, so a pack `Detection` is accepted as is; once that file
 * is in the tree this module becomes a re-export of it.
 */
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface DetectionInput {
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
