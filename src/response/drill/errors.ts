/** Stable codes of `vigil drill`. */
export type DrillErrorCode =
  /** No scenario by that name, or one without a provider breach to respond to (names the known ones). */
  | 'DRILL_UNKNOWN_SCENARIO'
  /** `--keep` names a directory that already holds something: a drill never writes into one. */
  | 'DRILL_KEEP_IN_USE'
  /** A step of the drill could not run (the simulator or a pillar failed); names the step. */
  | 'DRILL_STEP_FAILED';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    drill: DrillErrorCode;
  }
}
