/** Stable codes of the collector and custody store. */
export type CustodyErrorCode =
  /** The provider answered with an error status we do not retry. */
  | 'CUSTODY_PROVIDER_ERROR'
  /** Retries ran out for this run. */
  | 'CUSTODY_RETRIES_EXHAUSTED'
  /** The provider asked for a wait longer than `collect.maxWaitSeconds`: this source's run ends, the next poll tries again. */
  | 'CUSTODY_WAIT_TOO_LONG'
  /** A full page's next link leads back to a page already read this run: paging makes no progress. */
  | 'CUSTODY_NO_PROGRESS'
  /** An event published further ahead than `collect.maxFutureSeconds`: stored, flagged, never the high-water mark. */
  | 'CUSTODY_FUTURE_EVENT'
  /** An event re-served under a stored id with different bytes: the provider rewrote history. */
  | 'CUSTODY_REWRITTEN_EVENT'
  | 'CUSTODY_NO_SOURCES'
  /** The page-preparation thread failed or was closed while pages were pending. */
  | 'CUSTODY_PREPARER_FAILED'
  /** The store holds several ledgers and the command did not say which. */
  | 'CUSTODY_LOG_REQUIRED'
  | 'CUSTODY_NO_CHECKPOINT'
  | 'CUSTODY_NO_SUCH_EVENT'
  /** A record id already in its log with other content: ledgered records never change. */
  | 'CUSTODY_RECORD_CONFLICT'
  | 'CUSTODY_NO_SUCH_RECORD';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    custody: CustodyErrorCode;
  }
}
