/** Stable codes of the canary pillar (sign-in probes and the log check). */
export type CanaryErrorCode =
  /** A TOTP seed that is not base32, or too short to be one. */
  | 'CANARY_BAD_TOTP_SECRET'
  /** No canary configured (for the source asked). */
  | 'CANARY_NONE'
  /** A stored canary record does not parse as one. */
  | 'CANARY_RECORD_INVALID';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    canary: CanaryErrorCode;
  }
}
