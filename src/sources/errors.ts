/** Error codes of the source adapters: what a provider sent or did. */
export type SourceErrorCode =
  /** A page's body is not a well-formed page of events (the page is quarantined, nothing stored). */
  | 'SOURCE_BAD_PAGE'
  /** A `next` link points away from the source's own origin and API path (SSRF guard). */
  | 'SOURCE_FOREIGN_LINK'
  /** No adapter or page format for this source type. */
  | 'SOURCE_UNKNOWN_TYPE';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    sources: SourceErrorCode;
  }
}
