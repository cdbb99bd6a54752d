/** Stable codes of `vigil drill`. */
export type DrillErrorCode =
  /** No scenario by that name, or one without a provider breach to respond to (names the known ones). */
  | 'DRILL_UNKNOWN_SCENARIO'
  /** `--keep` names a directory that already holds something: a drill never writes into one. */
  | 'DRILL_KEEP_IN_USE'
  /** `--break` names no part of the response a drill can break (names the flag and value). */
  | 'DRILL_BAD_BREAK';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    drill: DrillErrorCode;
  }
}
