/** Stable codes of containment: plans, approvals, runs. */
export type ContainmentErrorCode =
  /** An action id that no plan of its incident holds (or that is not an action id at all). */
  | 'CONTAIN_UNKNOWN_ACTION'
  /** A name (`--by`) an approval or run cannot carry: empty, too long, or with control characters. */
  | 'CONTAIN_INVALID'
  /** A stored action record that does not parse. */
  | 'CONTAIN_RECORD_INVALID';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    containment: ContainmentErrorCode;
  }
}
