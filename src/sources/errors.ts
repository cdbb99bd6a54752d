/** Error codes of the source adapters: what a provider sent or did. */
export type SourceErrorCode =
  /** A page's body is not a well-formed page of events (the page is quarantined, nothing stored). */
  | 'SOURCE_BAD_PAGE'
  /** An event is ambiguous JSON: a duplicate key or a number no double holds (the page is quarantined). */
  | 'SOURCE_AMBIGUOUS_JSON'
  /** A body is not valid UTF-8: its verbatim bytes could not be kept as text (the page is quarantined). */
  | 'SOURCE_BAD_ENCODING'
  /** A body went over the byte limit on the wire (`collect.maxBodyBytes`). */
  | 'SOURCE_BODY_TOO_LARGE'
  /** A compressed body inflated past `collect.maxDecodedBytes`. */
  | 'SOURCE_DECODED_TOO_LARGE'
  /** A compressed body inflated more than `collect.maxCompressionRatio` times its wire size. */
  | 'SOURCE_COMPRESSION_RATIO'
  /** A request (connect, headers and the whole body) took longer than `collect.requestTimeoutMs`. */
  | 'SOURCE_TIMEOUT'
  /** The provider answered with a redirect: refused, never followed (it could lead the token away). */
  | 'SOURCE_REDIRECT'
  /** A page came with a content type other than JSON. */
  | 'SOURCE_NOT_JSON'
  /** A `next` link, or a stored cursor, points away from the source's own origin and API path (SSRF guard). */
  | 'SOURCE_FOREIGN_LINK'
  /** No adapter or page format for this source type. */
  | 'SOURCE_UNKNOWN_TYPE';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    sources: SourceErrorCode;
  }
}
