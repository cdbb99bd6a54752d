/** Stable codes of the posture pillar (snapshots, baselines, checks). */
export type PostureErrorCode =
  /** A stored snapshot record does not parse as a snapshot. */
  | 'POSTURE_SNAPSHOT_INVALID'
  /** No snapshot (or not the one named) in the store. */
  | 'POSTURE_NO_SNAPSHOT'
  /** A baseline file that is not valid YAML or breaks the baseline schema; names file:line. */
  | 'POSTURE_BASELINE_INVALID'
  /** The provider refused or failed a configuration read that a snapshot cannot do without. */
  | 'POSTURE_READ_FAILED';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    posture: PostureErrorCode;
  }
}
