/** Stable codes of the collector and custody store. */
export type CustodyErrorCode =
  /** A page's body is not a well-formed array of System Log events. */
  | 'CUSTODY_BAD_PAGE'
  /** A `next` link points away from the source's own origin (SSRF guard). */
  | 'CUSTODY_FOREIGN_LINK'
  /** The provider answered with an error status we do not retry. */
  | 'CUSTODY_PROVIDER_ERROR'
  /** Retries ran out for this run. */
  | 'CUSTODY_RETRIES_EXHAUSTED'
  | 'CUSTODY_NO_SOURCES'
  | 'CUSTODY_TOKEN_MISSING'
  /** The page-preparation thread failed or was closed while pages were pending. */
  | 'CUSTODY_PREPARER_FAILED';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    custody: CustodyErrorCode;
  }
}
