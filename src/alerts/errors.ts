/** Error codes of alert storage and status changes (STYLE.md habit 6). */
export type AlertErrorCode =
  /** No alert has the given id. */
  | 'ALERT_NOT_FOUND'
  /** The status change is not allowed from the alert's current status (e.g. acknowledging a resolved alert). */
  | 'ALERT_INVALID_TRANSITION'
  /** A filter or option value is not one of the allowed values. */
  | 'ALERT_BAD_FILTER'
  /** Two alert sinks share a name; the outbox keys deliveries by sink name. */
  | 'ALERT_SINK_NAME_TAKEN'
  /** `vigil alerts test --sink NAME` names no configured sink. */
  | 'ALERT_UNKNOWN_SINK'
  /** `vigil alerts test` with no sink configured: nothing to test. */
  | 'ALERT_NO_SINKS';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    alerts: AlertErrorCode;
  }
}
