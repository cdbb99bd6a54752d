/** Stable codes of the witness client, the witness server and the checkpoint publisher. */
export type WitnessErrorCode =
  /** An add-checkpoint request or response that does not follow c2sp.org/tlog-witness. */
  | 'WITNESS_MESSAGE_MALFORMED'
  /** A witness entry (URL or cosignature key) in vigil.yaml or on the command line is wrong. */
  | 'WITNESS_CONFIG_INVALID'
  /** `ledger witness add` for a URL or key name already configured; `remove` for one that is not. */
  | 'WITNESS_EXISTS'
  | 'WITNESS_UNKNOWN'
  /** The witness could not be reached, or answered with a status the protocol does not define. */
  | 'WITNESS_UNREACHABLE'
  /** The witness's state file cannot be read, is corrupt, or is held by another witness process. */
  | 'WITNESS_STATE_INVALID'
  | 'WITNESS_STATE_LOCKED';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    witness: WitnessErrorCode;
  }
}
