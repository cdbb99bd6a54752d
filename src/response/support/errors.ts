/** Stable codes of support-ticket reconciliation: approvals, imports, checks. */
export type SupportErrorCode =
  /** A ticket a flag or a record cannot be: a bad case number, window, scope or approver (names which). */
  | 'SUPPORT_TICKET_INVALID'
  /** A ticket export that cannot be read or has a row that is no ticket; names file:line. */
  | 'SUPPORT_IMPORT_INVALID'
  /** A stored support-ticket record that does not parse. */
  | 'SUPPORT_RECORD_INVALID';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    support: SupportErrorCode;
  }
}
