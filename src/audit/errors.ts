/** Stable codes of Vigil's own audit log. */
export type AuditErrorCode =
  /** A stored audit record does not parse as one: the ledger holds it, so `vigil verify` names any change. */
  'AUDIT_RECORD_INVALID';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    audit: AuditErrorCode;
  }
}
