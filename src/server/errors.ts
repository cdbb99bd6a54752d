/** Stable codes of the console (`vigil serve`): its HTTP API and how it is started. */
export type ServerErrorCode =
  /** A request names nothing the console knows (an unknown route, alert, event or sink). */
  | 'CONSOLE_NOT_FOUND'
  /** A request's query, parameters or body break the route's schema; names the field. */
  | 'CONSOLE_BAD_REQUEST'
  /** A reveal asked for a token the named record does not hold. */
  | 'CONSOLE_REVEAL_NOT_FOUND'
  /** `vigil serve` beyond loopback without TLS or `--insecure-http`, or half a TLS pair. */
  | 'SERVE_NOT_PROTECTED'
  /** A TLS certificate or key file that cannot be read. */
  | 'SERVE_TLS_UNREADABLE';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    server: ServerErrorCode;
  }
}
