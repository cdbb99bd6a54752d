/** Error codes of `vigil verify`'s inputs from outside the store. */
export type VerifyErrorCode =
  /** A checkpoint given to verify (`--checkpoint FILE`) is not a Vigil signed checkpoint. */
  | 'VERIFY_CHECKPOINT_INVALID'
  /** The rollback memory file cannot be read or is not what verify writes. */
  | 'VERIFY_MEMORY_INVALID';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    verify: VerifyErrorCode;
  }
}
