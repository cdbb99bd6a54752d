/** Error codes of alert storage and status changes (STYLE.md habit 6). */
export type AlertErrorCode =
  /** No alert has the given id. */
  | 'ALERT_NOT_FOUND'
  /** The status change is not allowed from the alert's current status (e.g. acknowledging a resolved alert). */
  | 'ALERT_INVALID_TRANSITION'
  /** A filter or option value is not one of the allowed values. */
  | 'ALERT_BAD_FILTER';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    alerts: AlertErrorCode;
  }
}
