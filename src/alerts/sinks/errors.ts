/** Error codes of the alert sinks (STYLE.md habit 6). */
export type SinkErrorCode =
  /** Sink configuration is invalid (bad URL, unknown type, missing field). */
  | 'SINK_CONFIG_INVALID'
  /** A secret reference names an unset environment variable or an unreadable/empty file. */
  | 'SINK_SECRET_UNAVAILABLE'
  /** The receiver answered 4xx: the request itself is wrong, so retrying cannot help. */
  | 'SINK_REJECTED'
  /** Every attempt failed with 5xx or a network error. */
  | 'SINK_DELIVERY_FAILED';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    sinks: SinkErrorCode;
  }
}
